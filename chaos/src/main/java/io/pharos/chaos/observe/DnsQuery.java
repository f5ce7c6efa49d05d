package io.pharos.chaos.observe;

import io.pharos.core.config.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** One DNS question to one server, like {@code dig @host -p port name type +short}. */
public final class DnsQuery {
  private DnsQuery() {}

  /**
   * A name server that answered but refused to give an answer (SERVFAIL, REFUSED, NOTIMP...): a
   * resolver asks the next name server, as it does on a timeout.
   */
  public static final class ServerFailure extends IOException {
    private final int rcode;

    ServerFailure(HostPort server, int rcode) {
      super(server + " answered " + Rcode.string(rcode));
      this.rcode = rcode;
    }

    public int rcode() {
      return rcode;
    }
  }

  /**
   * The answer's records of the asked type, as text (empty for NXDOMAIN or no data); throws when
   * the server does not answer, or answers with a failure ({@link ServerFailure}).
   */
  public static Set<String> ask(HostPort server, String name, String type, Duration timeout) throws IOException {
    int t = Type.value(type);
    SimpleResolver r = new SimpleResolver(server.host());
    r.setPort(server.port());
    r.setTimeout(timeout);
    Name n = Name.fromString(name.endsWith(".") ? name : name + ".");
    Message response = r.send(Message.newQuery(Record.newRecord(n, t, DClass.IN)));
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new ServerFailure(server, rcode);
    }
    Set<String> out = new TreeSet<>();
    for (Record rec : response.getSection(Section.ANSWER)) {
      if (rec.getType() == t) {
        out.add(rec.rdataToString());
      }
    }
    return out;
  }

  /** The answer, or empty when the server does not answer within a second. */
  public static Optional<Set<String>> answer(HostPort server, String name, String type) {
    try {
      return Optional.of(ask(server, name, type, Duration.ofSeconds(1)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
