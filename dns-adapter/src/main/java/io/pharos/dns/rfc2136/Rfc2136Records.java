package io.pharos.dns.rfc2136;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.Drift;
import io.pharos.dns.FencingValue;
import io.pharos.dns.PlanRules;
import io.pharos.dns.Weights;
import io.pharos.dns.ZoneSnapshot;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * How Pharos's weighted records look in a plain DNS zone, with no I/O. DNS has no weights, so a
 * record's name serves what the settled rule says (every target of every region with weight
 * above 0; a CNAME the heaviest region's target) and the weights themselves live beside it in a
 * TXT record {@code _pharos-w.<name>} ("a=50" "b=30"). The fencing TXT {@code _pharos.<zone>}
 * holds the token of the last applied decision.
 */
final class Rfc2136Records {
  static final String WEIGHTS_LABEL = "_pharos-w";

  private final DnsConfig dns;
  private final Name zone;
  private final Name fencing;
  private final long fencingTtl;

  Rfc2136Records(DnsConfig dns, long fencingTtl) {
    this.dns = dns;
    this.zone = name(dns.zone());
    this.fencing = name(PlanRules.fencingName(dns));
    this.fencingTtl = fencingTtl;
  }

  Name zone() {
    return zone;
  }

  Name fencing() {
    return fencing;
  }

  static Name name(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("'" + s + "' is not a valid DNS name", e);
    }
  }

  static Name weightsName(RecordConfig rc) {
    return name(WEIGHTS_LABEL + "." + rc.name());
  }

  /** What one record looks like on the server: the served RRset and the weights TXT, if any. */
  record Served(Set<String> values, long ttl, Optional<List<String>> weightStrings) {}

  /** The token a fencing TXT RRset holds; empty when absent, {@code null} when not a token. */
  static Optional<FencingToken> token(List<Record> fencingRrset) {
    if (fencingRrset.isEmpty()) {
      return Optional.empty();
    }
    if (fencingRrset.size() == 1 && fencingRrset.get(0) instanceof TXTRecord t && !t.getStrings().isEmpty()
        && t.getStrings().size() <= 2) {
      try {
        return Optional.of(FencingToken.parse(t.getStrings().get(0)));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  ZoneSnapshot snapshot(Map<String, Served> served, List<Record> fencingRrset, long serial) {
    Map<String, Map<String, Integer>> weights = new TreeMap<>();
    List<Drift> drift = new ArrayList<>();
    for (RecordConfig rc : dns.records()) {
      Served s = served.get(rc.name());
      Map<String, Integer> w = new TreeMap<>();
      if (s.weightStrings().isPresent()) {
        for (String region : rc.regions()) {
          w.put(region, 0);
        }
        for (String kv : s.weightStrings().get()) {
          int eq = kv.indexOf('=');
          String region = eq < 0 ? kv : kv.substring(0, eq);
          try {
            if (eq > 0 && rc.regions().contains(region)) {
              w.put(region, Integer.parseInt(kv.substring(eq + 1)));
            }
          } catch (NumberFormatException e) {
            drift.add(new Drift(rc.name(), region, Drift.Kind.WEIGHT, "weight record holds '" + kv + "'"));
          }
        }
        Set<String> expected = expectedValues(rc, w);
        if (!expected.equals(s.values())) {
          drift.add(new Drift(rc.name(), "", Drift.Kind.TARGETS, "serves " + s.values() + ", the weights " + w
              + " say " + expected));
        } else if (!s.values().isEmpty() && s.ttl() != rc.ttl()) {
          drift.add(new Drift(rc.name(), "", Drift.Kind.TTL, "TTL " + s.ttl() + ", the config says " + rc.ttl()));
        }
      } else {
        // never written by Pharos (or the weights record was removed): infer from what is served
        for (String region : rc.regions()) {
          boolean all = !s.values().isEmpty() && s.values().containsAll(expectedValues(rc, Map.of(region, 1)));
          w.put(region, all ? rc.weights().getOrDefault(region, 1) : 0);
        }
        drift.add(new Drift(rc.name(), "", Drift.Kind.MISSING, "no weights record " + weightsName(rc)
            + (s.values().isEmpty() ? " and nothing served" : "; weights inferred from the served " + s.values())));
      }
      weights.put(rc.name(), w);
    }
    Optional<FencingToken> token = token(fencingRrset);
    if (token == null) {
      drift.add(new Drift(dns.zone(), "", Drift.Kind.FENCING, "the fencing TXT " + fencing + " holds "
          + fencingRrset + ", not one token term:index; restore the last token from the journal by hand"));
      token = Optional.empty();
    }
    return new ZoneSnapshot(Weights.copyOf(weights), token.orElse(FencingToken.NONE), serial, drift);
  }

  /** The values a name serves under {@code weights}: the settled rule, as the embedded server. */
  static Set<String> expectedValues(RecordConfig rc, Map<String, Integer> weights) {
    Set<String> out = new TreeSet<>();
    if (rc.type().equals("CNAME")) {
      String best = null;
      int bestWeight = 0;
      for (String region : new TreeSet<>(rc.targets().keySet())) {
        int w = weights.getOrDefault(region, 0);
        if (w > bestWeight) {
          best = region;
          bestWeight = w;
        }
      }
      if (best != null) {
        out.add(normalize(rc.targets().get(best).get(0)));
      }
      return out;
    }
    rc.targets().forEach((region, targets) -> {
      if (weights.getOrDefault(region, 0) > 0) {
        targets.forEach(t -> out.add(canonicalAddress(t)));
      }
    });
    return out;
  }

  /** A served record's value in the form {@link #expectedValues} uses. */
  static String value(Record r) {
    if (r instanceof ARecord a) {
      return a.getAddress().getHostAddress();
    }
    if (r instanceof AAAARecord a) {
      return a.getAddress().getHostAddress();
    }
    if (r instanceof CNAMERecord c) {
      return normalize(c.getTarget().toString());
    }
    return r.rdataToString();
  }

  private static String canonicalAddress(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      return literal;
    }
  }

  private static String normalize(String n) {
    String s = n.toLowerCase(java.util.Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * One UPDATE for the plan: the prerequisite that the fencing TXT holds exactly the basis's
   * token (or does not exist yet), the swap to the new token, and every touched record rewritten
   * (its RRset and its weights TXT) from the config and the weights after the plan.
   */
  Update update(ChangePlan plan, FencingToken token, List<Record> heldRrset) {
    Update u = new Update(zone);
    int next = 1;
    if (heldRrset.isEmpty()) {
      u.absent(fencing, Type.TXT);
    } else {
      TXTRecord held = (TXTRecord) heldRrset.get(0);
      // a value-dependent prerequisite: the RRset must be exactly this (prerequisites carry TTL 0)
      u.present(new TXTRecord(fencing, DClass.IN, 0, held.getStrings()));
      next = FencingValue.nextBatch(token(heldRrset), FencingValue.batch(held.getStrings()), token);
    }
    u.delete(fencing, Type.TXT);
    u.add(new TXTRecord(fencing, DClass.IN, fencingTtl, FencingValue.strings(token, next)));
    Map<String, Map<String, Integer>> after = plan.weightsAfter();
    Set<String> records = new LinkedHashSet<>();
    plan.touched().forEach(t -> records.add(t.substring(0, t.indexOf(' '))));
    for (String record : records) {
      RecordConfig rc = dns.record(record).orElseThrow();
      Name owner = name(rc.name());
      int type = Type.value(rc.type());
      Map<String, Integer> w = after.getOrDefault(record, Map.of());
      u.delete(owner, type);
      for (String v : expectedValues(rc, w)) {
        u.add(recordOf(owner, type, rc.ttl(), v));
      }
      Name wn = weightsName(rc);
      u.delete(wn, Type.TXT);
      List<String> strings = new ArrayList<>();
      new TreeMap<>(w).forEach((region, weight) -> strings.add(region + "=" + weight));
      u.add(new TXTRecord(wn, DClass.IN, rc.ttl(), strings));
    }
    return u;
  }

  private static Record recordOf(Name owner, int type, long ttl, String value) {
    try {
      return switch (type) {
        case Type.A -> new ARecord(owner, DClass.IN, ttl, InetAddress.getByName(value));
        case Type.AAAA -> new AAAARecord(owner, DClass.IN, ttl, InetAddress.getByName(value));
        default -> new CNAMERecord(owner, DClass.IN, ttl, name(value));
      };
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + value + "' of " + owner + " is not an address", e);
    }
  }
}
