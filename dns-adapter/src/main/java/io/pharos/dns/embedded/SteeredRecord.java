package io.pharos.dns.embedded;

import io.pharos.core.config.RecordConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One steered record with its targets parsed once, so a query only picks regions by weight. The
 * rule is the settled one: a weighted record answers every target of every region whose weight is
 * above 0; a CNAME (one target per region) answers the heaviest region, ties broken by name.
 */
final class SteeredRecord {
  private final String key;
  private final int type;
  private final long ttl;
  private final Map<String, List<InetAddress>> addresses = new TreeMap<>();
  private final Map<String, Name> aliases = new TreeMap<>();
  private final Map<String, Integer> baseWeights;

  SteeredRecord(RecordConfig config) {
    this.key = config.name();
    this.type = Type.value(config.type());
    this.ttl = config.ttl();
    this.baseWeights = Map.copyOf(config.weights());
    if (type != Type.A && type != Type.AAAA && type != Type.CNAME) {
      throw new IllegalArgumentException("record " + key + " has type " + config.type() + "; only A, AAAA and CNAME are served");
    }
    config.targets().forEach((region, targets) -> {
      if (type == Type.CNAME) {
        if (targets.size() != 1) {
          throw new IllegalArgumentException("CNAME " + key + " needs exactly one target in " + region + ", has " + targets);
        }
        aliases.put(region, absolute(targets.get(0)));
      } else {
        List<InetAddress> parsed = new ArrayList<>();
        for (String t : targets) {
          parsed.add(address(t, type == Type.A ? Address.IPv4 : Address.IPv6));
        }
        addresses.put(region, List.copyOf(parsed));
      }
    });
  }

  String key() {
    return key;
  }

  int type() {
    return type;
  }

  /**
   * The records this name answers for {@code qtype} under {@code weights} (record → region →
   * weight); empty when the type does not match or every weight is 0 (the name still exists).
   */
  List<Record> answer(Name owner, int qtype, Map<String, Map<String, Integer>> weights) {
    Map<String, Integer> current = weights.getOrDefault(key, baseWeights);
    if (type == Type.CNAME) {
      if (qtype == Type.SOA || qtype == Type.NS) {
        return List.of();
      }
      return heaviestAlias(current).<List<Record>>map(a -> List.of(new CNAMERecord(owner, DClass.IN, ttl, a)))
          .orElse(List.of());
    }
    if (qtype != type && qtype != Type.ANY) {
      return List.of();
    }
    Set<InetAddress> served = new LinkedHashSet<>();
    addresses.forEach((region, list) -> {
      if (current.getOrDefault(region, 0) > 0) {
        served.addAll(list);
      }
    });
    List<Record> records = new ArrayList<>();
    for (InetAddress a : served) {
      records.add(type == Type.A ? new ARecord(owner, DClass.IN, ttl, a) : new AAAARecord(owner, DClass.IN, ttl, a));
    }
    return records;
  }

  private Optional<Name> heaviestAlias(Map<String, Integer> current) {
    String best = null;
    int bestWeight = 0;
    for (String region : aliases.keySet()) { // sorted, so the first of equal weights wins
      int w = current.getOrDefault(region, 0);
      if (w > bestWeight) {
        best = region;
        bestWeight = w;
      }
    }
    return Optional.ofNullable(best).map(aliases::get);
  }

  static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("'" + name + "' is not a valid DNS name", e);
    }
  }

  private InetAddress address(String literal, int family) {
    try {
      return Address.getByAddress(literal, family);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("target '" + literal + "' of " + key + " is not an address of type "
          + Type.string(type), e);
    }
  }
}
