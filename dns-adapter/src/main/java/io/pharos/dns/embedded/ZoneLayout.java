package io.pharos.dns.embedded;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.journal.ZoneState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The shape of the zone, fixed by the config and the name-server list: which names exist, which
 * are steered, where the apex is. Only weights change at run time, so they are passed in with
 * each question and everything else is worked out once here.
 */
final class ZoneLayout {
  /** Short negative caching: a failover must not be hidden behind a cached NXDOMAIN. */
  static final long SOA_MINIMUM = 5;
  static final long SOA_TTL = 5;
  static final long SOA_REFRESH = 60;
  static final long SOA_RETRY = 30;
  static final long SOA_EXPIRE = 86_400;
  static final long NS_TTL = 300;
  private static final int MAX_CNAME_CHAIN = 8;

  private final Name apex;
  private final Name soaHost;
  private final Name soaAdmin;
  private final Map<Name, SteeredRecord> steered = new HashMap<>();
  private final List<Name> nameServers = new ArrayList<>();
  private final Map<Name, InetAddress> glue = new LinkedHashMap<>();
  private final Set<Name> existing = new HashSet<>();

  ZoneLayout(DnsConfig dns, List<NameServer> servers) {
    this.apex = SteeredRecord.absolute(dns.zone());
    this.soaHost = SteeredRecord.absolute("ns1." + dns.zone());
    this.soaAdmin = SteeredRecord.absolute("hostmaster." + dns.zone());
    for (NameServer ns : servers) {
      Name name = SteeredRecord.absolute(ns.name());
      nameServers.add(name);
      if (name.subdomain(apex)) {
        glue.put(name, ipv4(ns));
      }
    }
    for (RecordConfig rc : dns.records()) {
      Name name = SteeredRecord.absolute(rc.name());
      if (!name.subdomain(apex)) {
        throw new IllegalArgumentException("record " + rc.name() + " is not inside the zone " + dns.zone());
      }
      if (glue.containsKey(name)) {
        throw new IllegalArgumentException("record " + rc.name() + " is also a name server's name; give the name"
            + " server a name of its own (ns1." + dns.zone() + ")");
      }
      SteeredRecord record = new SteeredRecord(rc);
      if (name.equals(apex) && record.type() == Type.CNAME) {
        throw new IllegalArgumentException("record " + rc.name() + " is a CNAME at the zone apex, where SOA and NS"
            + " must live; use A/AAAA records there or steer a name below the apex");
      }
      steered.put(name, record);
    }
    existing.add(apex);
    steered.keySet().forEach(this::addWithAncestors);
    glue.keySet().forEach(this::addWithAncestors);
  }

  Name apex() {
    return apex;
  }

  boolean inZone(Name name) {
    return name.subdomain(apex);
  }

  /** The authoritative answer to one in-zone question. */
  ZoneAnswer answer(Name qname, int qtype, ZoneState state) {
    List<Record> answer = new ArrayList<>();
    List<Record> additional = new ArrayList<>();
    Name name = qname;
    Set<Name> seen = new HashSet<>();
    while (seen.add(name) && seen.size() <= MAX_CNAME_CHAIN) {
      List<Record> own = recordsAt(name, qtype, state, additional);
      answer.addAll(own);
      // follow a CNAME inside the zone so the resolver gets the addresses in one round trip
      if (own.size() != 1 || !(own.get(0) instanceof CNAMERecord cname) || qtype == Type.CNAME
          || !cname.getTarget().subdomain(apex)) {
        break;
      }
      name = cname.getTarget();
    }
    if (!answer.isEmpty()) {
      return new ZoneAnswer(Rcode.NOERROR, answer, List.of(), additional);
    }
    int rcode = existing.contains(qname) ? Rcode.NOERROR : Rcode.NXDOMAIN;
    return new ZoneAnswer(rcode, List.of(), List.of(soa(apex, state)), List.of());
  }

  private List<Record> recordsAt(Name name, int qtype, ZoneState state, List<Record> additional) {
    List<Record> records = new ArrayList<>();
    boolean any = qtype == Type.ANY;
    if (name.equals(apex)) {
      if (qtype == Type.SOA || any) {
        records.add(soa(name, state));
      }
      if (qtype == Type.NS || any) {
        for (Name ns : nameServers) {
          records.add(new NSRecord(name, DClass.IN, NS_TTL, ns));
        }
        glue.forEach((ns, ip) -> additional.add(new ARecord(ns, DClass.IN, NS_TTL, ip)));
      }
    }
    SteeredRecord record = steered.get(name);
    if (record != null) {
      records.addAll(record.answer(name, qtype, state.weights()));
    }
    InetAddress ip = glue.get(name);
    if (ip != null && (qtype == Type.A || any)) {
      records.add(new ARecord(name, DClass.IN, NS_TTL, ip));
    }
    return records;
  }

  /** Serial arithmetic is 32-bit (RFC 1982); the journal's serial is wider. */
  private SOARecord soa(Name owner, ZoneState state) {
    return new SOARecord(owner, DClass.IN, SOA_TTL, soaHost, soaAdmin, state.serial() & 0xFFFF_FFFFL,
        SOA_REFRESH, SOA_RETRY, SOA_EXPIRE, SOA_MINIMUM);
  }

  /** Names between a record and the apex exist too (empty non-terminals answer NODATA). */
  private void addWithAncestors(Name name) {
    Name n = name;
    while (!n.equals(apex) && existing.add(n)) {
      n = new Name(n, 1);
    }
  }

  private static InetAddress ipv4(NameServer ns) {
    try {
      return Address.getByAddress(ns.ipv4(), Address.IPv4);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("name server " + ns.name() + " address '" + ns.ipv4() + "' is not IPv4", e);
    }
  }
}
