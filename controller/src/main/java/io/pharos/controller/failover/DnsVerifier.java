package io.pharos.controller.failover;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.dns.embedded.NameServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks every controller's name server whether it answers the new weights: the addresses of the
 * regions taken out must be gone, the others present. A name server that does not answer is
 * listed as unreachable (the lost region's own controller often is). Each is asked at the address
 * it is reached at ({@code dnsAdvertise}), never at the one it binds: a controller binding 0.0.0.0
 * would otherwise ask itself for every peer and call the change verified. Blocking.
 */
public final class DnsVerifier implements NameServerCheck {
  /** How long one name server is given to answer one query, by default. */
  static final Duration QUERY_TIMEOUT = Duration.ofMillis(800);

  private final DnsConfig dns;
  private final List<ControllerPeer> peers;
  private final Duration queryTimeout;

  /**
   * The controllers' name servers, as the zone's NS records name them (ns1, ns2, ... in peer
   * order), with the address each is reached at as its glue.
   */
  public static List<NameServer> nameServers(PharosConfig config) {
    List<NameServer> out = new ArrayList<>();
    int i = 1;
    for (ControllerPeer p : config.controllers().peers()) {
      out.add(new NameServer("ns" + i++ + "." + config.dns().zone(), p.dnsAdvertise().host()));
    }
    return out;
  }

  public DnsVerifier(DnsConfig dns, List<ControllerPeer> peers) {
    this(dns, peers, QUERY_TIMEOUT);
  }

  /** @param queryTimeout how long one name server is given to answer one query */
  public DnsVerifier(DnsConfig dns, List<ControllerPeer> peers, Duration queryTimeout) {
    this.dns = dns;
    this.peers = peers;
    this.queryTimeout = queryTimeout;
  }

  /** Per name server: matching, wrong or unreachable. */
  public record Result(List<String> matching, List<String> wrong, List<String> unreachable) {
    /** Every name server that answered has the new answer, and at least one answered. */
    public boolean verified() {
      return wrong.isEmpty() && !matching.isEmpty();
    }

    public String describe() {
      return "new answer on " + matching.size() + " of " + (matching.size() + wrong.size() + unreachable.size())
          + " name servers" + (wrong.isEmpty() ? "" : ", stale on " + wrong)
          + (unreachable.isEmpty() ? "" : ", unreachable " + unreachable);
    }
  }

  @Override
  public Result verify(Map<String, Map<String, Integer>> weights) {
    List<String> matching = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    for (ControllerPeer p : peers) {
      try {
        if (answersAll(p, weights)) {
          matching.add(p.id());
        } else {
          wrong.add(p.id());
        }
      } catch (IOException e) {
        unreachable.add(p.id());
      }
    }
    return new Result(matching, wrong, unreachable);
  }

  private boolean answersAll(ControllerPeer p, Map<String, Map<String, Integer>> weights) throws IOException {
    SimpleResolver resolver = new SimpleResolver(p.dnsAdvertise().host());
    resolver.setPort(p.dnsAdvertise().port());
    resolver.setTimeout(queryTimeout);
    for (RecordConfig r : dns.records()) {
      if ("CNAME".equals(r.type())) {
        continue;
      }
      Set<String> expected = new TreeSet<>();
      r.targets().forEach((region, targets) -> {
        if (weights.getOrDefault(r.name(), Map.of()).getOrDefault(region, 0) > 0) {
          expected.addAll(targets);
        }
      });
      int type = Type.value(r.type());
      Message q = Message.newQuery(Record.newRecord(Name.fromString(r.name() + "."), type, org.xbill.DNS.DClass.IN));
      Message answer = resolver.send(q);
      if (answer.getRcode() != Rcode.NOERROR) {
        return false;
      }
      Set<String> got = new TreeSet<>();
      for (Record rec : answer.getSection(Section.ANSWER)) {
        if (rec.getType() == type) {
          got.add(rec.rdataToString());
        }
      }
      if (!got.equals(expected)) {
        return false;
      }
    }
    return true;
  }

}
