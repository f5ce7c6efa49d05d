package io.pharos.dns.testing;

import io.pharos.core.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/** What a name server answers, asked as a resolver would (unsigned, over TCP). */
public final class DnsAnswers {
  private DnsAnswers() {}

  /** The values {@code name} answers for {@code type}: addresses, CNAME targets or TXT strings. */
  public static Set<String> of(HostPort server, String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(server.host(), server.port()));
    r.setTCP(true);
    r.setTimeout(Duration.ofSeconds(3));
    Message answer = r.send(Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."),
        type, DClass.IN)));
    Set<String> out = new TreeSet<>();
    for (Record rec : answer.getSection(Section.ANSWER)) {
      if (rec.getType() == type) {
        out.add(rec.rdataToString().replace("\"", ""));
      }
    }
    return out;
  }
}
