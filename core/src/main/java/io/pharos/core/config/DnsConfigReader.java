package io.pharos.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code dns} section. */
final class DnsConfigReader {
  static final Set<String> KNOWN = Set.of("provider", "zone", "records");
  static final Set<String> PROVIDERS = Set.of("embedded");
  private static final Set<String> RECORD = Set.of("name", "type", "ttl", "targets", "weights");

  private DnsConfigReader() {}

  static DnsConfig read(Fields d, Set<String> regions, boolean present) {
    if (!present) {
      d.problem(null, "dns is required (provider, zone and the records to steer)");
      return null;
    }
    String provider = d.string("provider", "embedded");
    if (!PROVIDERS.contains(provider)) {
      d.problem("provider", "'" + provider + "' is not available; use one of " + String.join(", ", PROVIDERS));
    }
    String zone = d.requiredString("zone");
    if (zone != null && !DnsNames.isValidName(zone)) {
      d.problem("zone", "'" + zone + "' is not a valid DNS name");
      zone = null;
    }
    zone = zone == null ? null : DnsNames.normalize(zone);
    List<RecordConfig> records = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Fields r : d.objects("records", RECORD, true)) {
      RecordConfig rc = record(r, zone, regions);
      if (rc != null && !names.add(rc.name())) {
        r.problem("name", "record '" + rc.name() + "' is defined twice");
      } else if (rc != null) {
        records.add(rc);
      }
    }
    return new DnsConfig(provider, zone, records);
  }

  private static RecordConfig record(Fields r, String zone, Set<String> regions) {
    String name = r.requiredString("name");
    if (name == null) {
      return null;
    }
    if (!DnsNames.isValidName(name)) {
      r.problem("name", "'" + name + "' is not a valid DNS name");
      return null;
    }
    name = DnsNames.normalize(name);
    if (zone != null && !DnsNames.inZone(name, zone)) {
      r.problem("name", "'" + name + "' is not inside the zone '" + zone + "'");
    }
    String type = r.string("type", "A").toUpperCase(java.util.Locale.ROOT);
    if (!Set.of("A", "AAAA", "CNAME").contains(type)) {
      r.problem("type", "'" + type + "' is not supported; use A, AAAA or CNAME");
      return null;
    }
    int ttl = r.integer("ttl", 30, 0, 86_400);
    Map<String, List<String>> targets = new LinkedHashMap<>();
    Fields t = Fields.of(r.raw("targets"), r.path("targets"), new ArrayList<>(), Set.of());
    JsonNode tn = r.raw("targets");
    if (tn == null || !tn.isObject() || tn.isEmpty()) {
      r.problem("targets", "is required: a mapping of region to its addresses");
    } else {
      for (var it = tn.fields(); it.hasNext(); ) {
        var e = it.next();
        String at = t.path() + "." + e.getKey();
        if (!regions.isEmpty() && !regions.contains(e.getKey())) {
          r.problem("targets", "'" + e.getKey() + "' is not a configured region");
          continue;
        }
        List<String> values = r.strings(e.getValue(), at);
        checkTargets(r, at, type, values);
        targets.put(e.getKey(), values);
      }
    }
    Map<String, Integer> weights = new LinkedHashMap<>(
        r.map("weights", v -> v.isIntegralNumber() ? v.intValue() : null, "a whole number 0..255"));
    for (var e : weights.entrySet()) {
      if (!targets.containsKey(e.getKey())) {
        r.problem("weights", "'" + e.getKey() + "' has a weight but no targets");
      }
      if (e.getValue() < 0 || e.getValue() > 255) {
        r.problem("weights", e.getKey() + " must be between 0 and 255, was " + e.getValue());
      }
    }
    for (String region : targets.keySet()) {
      weights.putIfAbsent(region, 1);
    }
    if (!weights.isEmpty() && weights.values().stream().allMatch(w -> w == 0)) {
      r.problem("weights", "every weight is 0; at least one region must take traffic");
    }
    return new RecordConfig(name, type, ttl, targets, weights);
  }

  private static void checkTargets(Fields r, String at, String type, List<String> values) {
    if (values.isEmpty()) {
      r.problem("targets", at.substring(at.lastIndexOf('.') + 1) + " has no targets");
      return;
    }
    for (String v : values) {
      boolean ok = switch (type) {
        case "A" -> DnsNames.isIpv4(v);
        case "AAAA" -> DnsNames.isIpv6(v);
        default -> DnsNames.isValidName(v);
      };
      if (!ok) {
        String what = switch (type) {
          case "A" -> "an IPv4 address";
          case "AAAA" -> "an IPv6 address";
          default -> "a host name";
        };
        r.problem("targets", "'" + v + "' under " + at.substring(at.lastIndexOf('.') + 1) + " is not " + what);
      }
    }
    if ("CNAME".equals(type) && values.size() > 1) {
      r.problem("targets", "a CNAME record has exactly one target per region");
    }
  }
}
