package io.pharos.dns.route53;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.Drift;
import io.pharos.dns.FencingValue;
import io.pharos.dns.PlanRules;
import io.pharos.dns.Weights;
import io.pharos.dns.ZoneSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * The mapping between Pharos's records and Route 53 record sets, with no I/O: one weighted set
 * per record and region (SetIdentifier = region name), and the fencing TXT set
 * {@code _pharos.<zone>} holding the token of the last applied decision ({@link FencingValue}).
 */
final class RecordSets {
  private final DnsConfig dns;
  private final String fencingName;
  private final long fencingTtl;

  RecordSets(DnsConfig dns, long fencingTtl) {
    this.dns = dns;
    this.fencingName = PlanRules.fencingName(dns);
    this.fencingTtl = fencingTtl;
  }

  String fencingName() {
    return fencingName;
  }

  /** Route 53 names end with a dot and escape some characters; ours do neither. */
  static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("\\052", "*");
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** The fencing set among {@code sets}, if any. */
  Optional<ResourceRecordSet> fencing(List<ResourceRecordSet> sets) {
    return sets.stream().filter(s -> normalize(s.name()).equals(fencingName) && s.type() == RRType.TXT).findFirst();
  }

  /** The token a fencing set holds; empty when its value is not a token. */
  static Optional<FencingToken> token(ResourceRecordSet fencing) {
    List<String> strings = strings(fencing);
    if (strings.isEmpty() || strings.size() > 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(FencingToken.parse(strings.get(0)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The TXT strings of a one-record set ({@code "3:12" "batch=2"} gives both, unquoted). */
  private static List<String> strings(ResourceRecordSet set) {
    if (set.resourceRecords().size() != 1) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(
        set.resourceRecords().get(0).value());
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The batch counter of the fencing set (0 when absent). */
  static int batch(ResourceRecordSet fencing) {
    return FencingValue.batch(strings(fencing));
  }

  /** Weights, fencing token and drift, from every set of the zone. */
  ZoneSnapshot snapshot(List<ResourceRecordSet> sets) {
    Map<String, Map<String, Integer>> weights = new TreeMap<>();
    List<Drift> drift = new ArrayList<>();
    for (RecordConfig rc : dns.records()) {
      Map<String, Integer> w = new TreeMap<>();
      List<ResourceRecordSet> mine = sets.stream()
          .filter(s -> normalize(s.name()).equals(rc.name()) && s.typeAsString().equals(rc.type())).toList();
      for (String region : rc.regions()) {
        Optional<ResourceRecordSet> set = mine.stream().filter(s -> region.equals(s.setIdentifier())).findFirst();
        if (set.isEmpty()) {
          w.put(region, 0);
          drift.add(new Drift(rc.name(), region, Drift.Kind.MISSING, "no weighted " + rc.type() + " set with"
              + " SetIdentifier '" + region + "'"));
          continue;
        }
        ResourceRecordSet s = set.get();
        w.put(region, s.weight() == null ? 0 : s.weight().intValue());
        compare(rc, region, s).ifPresent(drift::add);
        if (rc.aliases().get(region) == null && s.ttl() != null && s.ttl() != rc.ttl()) {
          drift.add(new Drift(rc.name(), region, Drift.Kind.TTL, "TTL " + s.ttl() + ", the config says " + rc.ttl()));
        }
      }
      for (ResourceRecordSet s : mine) {
        if (s.setIdentifier() == null || s.weight() == null || !rc.regions().contains(s.setIdentifier())) {
          drift.add(new Drift(rc.name(), s.setIdentifier() == null ? "" : s.setIdentifier(), Drift.Kind.UNEXPECTED,
              (s.setIdentifier() == null ? "a simple (non-weighted) " + rc.type() + " set"
                  : "set '" + s.setIdentifier() + "'" + (s.weight() == null ? "" : " (weight " + s.weight() + ")"))
                  + " that Pharos did not write; remove it by hand or add the region to the config"));
        }
      }
      weights.put(rc.name(), w);
    }
    FencingToken token = FencingToken.NONE;
    Optional<ResourceRecordSet> f = fencing(sets);
    if (f.isPresent()) {
      Optional<FencingToken> t = token(f.get());
      if (t.isPresent()) {
        token = t.get();
      } else {
        drift.add(new Drift(fencingName, "", Drift.Kind.FENCING, "the fencing TXT holds " + values(f.get())
            + ", not a token term:index; restore the last token from the journal by hand"));
      }
    }
    return new ZoneSnapshot(Weights.copyOf(weights), token, 0, drift);
  }

  private Optional<Drift> compare(RecordConfig rc, String region, ResourceRecordSet s) {
    RecordConfig.Alias alias = rc.aliases().get(region);
    if (alias != null) {
      AliasTarget a = s.aliasTarget();
      if (a == null || !normalize(a.dnsName()).equals(alias.dnsName())
          || !a.hostedZoneId().equals(alias.hostedZoneId())) {
        return Optional.of(new Drift(rc.name(), region, Drift.Kind.TARGETS, "alias "
            + (a == null ? "missing" : normalize(a.dnsName()) + " in " + a.hostedZoneId()) + ", the config says "
            + alias.dnsName() + " in " + alias.hostedZoneId()));
      }
      return Optional.empty();
    }
    Set<String> served = new LinkedHashSet<>();
    s.resourceRecords().forEach(r -> served.add(rc.type().equals("CNAME") ? normalize(r.value()) : r.value()));
    Set<String> wanted = new LinkedHashSet<>();
    rc.targets().get(region).forEach(v -> wanted.add(rc.type().equals("CNAME") ? normalize(v) : v));
    if (s.aliasTarget() != null || !new TreeSet<>(served).equals(new TreeSet<>(wanted))) {
      return Optional.of(new Drift(rc.name(), region, Drift.Kind.TARGETS, "serves "
          + (s.aliasTarget() != null ? "an alias to " + normalize(s.aliasTarget().dnsName()) : served)
          + ", the config says " + wanted));
    }
    return Optional.empty();
  }

  private static String values(ResourceRecordSet s) {
    return s.resourceRecords().stream().map(ResourceRecord::value).toList().toString();
  }

  /**
   * The batch for a plan: an UPSERT of every set the plan writes (weight after the plan, targets
   * and TTL from the config), then the fencing swap — DELETE of the exact set read just before
   * (if any) and CREATE of the new token. Route 53 applies all of it or nothing, and refuses the
   * DELETE if the set no longer holds exactly those values: that is the compare-and-set.
   */
  List<Change> batch(ChangePlan plan, FencingToken token, Optional<ResourceRecordSet> currentFencing) {
    Map<String, Map<String, Integer>> after = plan.weightsAfter();
    List<Change> changes = new ArrayList<>();
    for (String touched : plan.touched()) {
      int space = touched.indexOf(' ');
      String record = touched.substring(0, space);
      String region = touched.substring(space + 1);
      RecordConfig rc = dns.record(record).orElseThrow();
      changes.add(Change.builder().action(ChangeAction.UPSERT)
          .resourceRecordSet(weighted(rc, region, Weights.of(after, record, region))).build());
    }
    currentFencing.ifPresent(f -> changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(f).build()));
    int next = FencingValue.nextBatch(currentFencing.flatMap(RecordSets::token), currentFencing.map(RecordSets::batch)
        .orElse(0), token);
    changes.add(Change.builder().action(ChangeAction.CREATE).resourceRecordSet(fencingSet(token, next)).build());
    return changes;
  }

  ResourceRecordSet fencingSet(FencingToken token, int batch) {
    String value = FencingValue.strings(token, batch).stream().map(v -> "\"" + v + "\"")
        .collect(java.util.stream.Collectors.joining(" "));
    return ResourceRecordSet.builder().name(fencingName + ".").type(RRType.TXT).ttl(fencingTtl)
        .resourceRecords(ResourceRecord.builder().value(value).build()).build();
  }

  static ResourceRecordSet weighted(RecordConfig rc, String region, int weight) {
    ResourceRecordSet.Builder b = ResourceRecordSet.builder().name(rc.name() + ".").type(RRType.fromValue(rc.type()))
        .setIdentifier(region).weight((long) weight);
    RecordConfig.Alias alias = rc.aliases().get(region);
    if (alias != null) {
      return b.aliasTarget(AliasTarget.builder().dnsName(alias.dnsName() + ".").hostedZoneId(alias.hostedZoneId())
          .evaluateTargetHealth(alias.evaluateTargetHealth()).build()).build();
    }
    List<ResourceRecord> values = rc.targets().get(region).stream()
        .map(v -> ResourceRecord.builder().value(rc.type().equals("CNAME") && !v.endsWith(".") ? v + "." : v).build())
        .toList();
    return b.ttl((long) rc.ttl()).resourceRecords(values).build();
  }
}
