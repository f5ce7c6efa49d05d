package io.pharos.core.config;

import io.pharos.core.config.ProviderSettings.DriftPolicy;
import io.pharos.core.config.ProviderSettings.Reconcile;
import io.pharos.core.config.ProviderSettings.Rfc2136;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.core.yaml.YamlNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code dns} section. Provider secrets (the TSIG key, AWS credentials) are
 * not read here: only the names of the variables that hold them; the provider reads them when it
 * is created and names the variable when it is missing.
 */
final class DnsConfigReader {
  private static final Set<String> KNOWN =
      Set.of("provider", "zone", "records", "route53", "rfc2136", "reconcile", "server");
  private static final Set<String> SERVER = Set.of("rateLimit", "tcp");
  private static final Set<String> RATE_LIMIT =
      Set.of("responsesPerSecond", "burst", "slip", "ipv4PrefixLength", "ipv6PrefixLength", "exempt");
  private static final Set<String> TCP = Set.of("maxConnections", "idleTimeout");
  static final Set<String> PROVIDERS = Set.of("embedded", "route53", "rfc2136");
  private static final Set<String> RECORD = Set.of("name", "type", "ttl", "targets", "weights", "aliases");
  private static final Set<String> ALIAS = Set.of("dnsName", "hostedZoneId", "evaluateTargetHealth");
  private static final Set<String> ROUTE53 = Set.of("hostedZoneId", "region", "endpoint", "requestsPerSecond",
      "insyncDeadline", "pollInterval", "maxAttempts", "backoffBase", "backoffMax", "requestTimeout",
      "breakerFailures", "breakerOpenFor", "fencingTtl");
  private static final Set<String> RFC2136 =
      Set.of("server", "tsigKeyName", "tsigKeyEnv", "tsigAlgorithm", "timeout", "fencingTtl");
  private static final Set<String> RECONCILE = Set.of("interval", "drift");
  static final Set<String> TSIG_ALGORITHMS = Set.of("hmac-sha256", "hmac-sha384", "hmac-sha512");
  private static final Pattern ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d|aws-global");

  private DnsConfigReader() {}

  static DnsConfig read(YamlNode section, Set<String> regions) {
    if (!section.isPresent()) {
      section.problem("dns is required (provider, zone and the records to steer)");
      return null;
    }
    YamlNode d = section.mapping(KNOWN);
    String provider = d.get("provider").text("embedded");
    if (!PROVIDERS.contains(provider)) {
      d.problem("provider", "'" + provider + "' is not available; use one of " + String.join(", ", PROVIDERS));
    }
    String zone = d.get("zone").required("is required").text();
    if (zone != null && !DnsNames.isValidName(zone)) {
      d.problem("zone", "'" + zone + "' is not a valid DNS name");
      zone = null;
    }
    zone = zone == null ? null : DnsNames.normalize(zone);
    ProviderSettings settings = new ProviderSettings(route53(d), rfc2136(d, provider), reconcile(d));
    List<RecordConfig> records = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode item : d.get("records").requiredItems()) {
      YamlNode r = item.mapping(RECORD);
      RecordConfig rc = record(r, zone, regions, provider);
      if (rc != null && !names.add(rc.name())) {
        r.problem("name", "record '" + rc.name() + "' is defined twice");
      } else if (rc != null) {
        records.add(rc);
      }
    }
    return new DnsConfig(provider, zone, records, settings, server(d));
  }

  /** {@code dns.server}: the controllers' own name servers (docs/dns-providers.md, "Embedded"). */
  private static DnsServerConfig server(YamlNode d) {
    YamlNode s = d.get("server").mapping(SERVER);
    YamlNode r = s.get("rateLimit").mapping(RATE_LIMIT);
    DnsServerConfig.RateLimit dr = DnsServerConfig.RateLimit.DEFAULTS;
    int rate = r.get("responsesPerSecond").integer(dr.responsesPerSecond(), 0, 1_000_000);
    int burst = r.get("burst").integer(Math.max(dr.burst(), rate), 1, 10_000_000);
    int slip = r.get("slip").integer(dr.slip(), 0, 10);
    int v4 = r.get("ipv4PrefixLength").integer(dr.ipv4PrefixLength(), 8, 32);
    int v6 = r.get("ipv6PrefixLength").integer(dr.ipv6PrefixLength(), 16, 128);
    List<String> exempt = new ArrayList<>();
    for (String cidr : r.get("exempt").texts()) {
      try {
        exempt.add(Cidr.parse(cidr).toString());
      } catch (IllegalArgumentException e) {
        r.problem("exempt", e.getMessage());
      }
    }
    YamlNode t = s.get("tcp").mapping(TCP);
    DnsServerConfig.Tcp dt = DnsServerConfig.Tcp.DEFAULTS;
    int max = t.get("maxConnections").integer(dt.maxConnections(), 1, 100_000);
    Duration idle = ConfigLoader.duration(t.get("idleTimeout"), dt.idleTimeout());
    if (idle.compareTo(Duration.ofMillis(100)) < 0 || idle.compareTo(Duration.ofMinutes(10)) > 0) {
      t.problem("idleTimeout", "must be between 100ms and 10m (RFC 7766 suggests seconds), was "
          + Durations.format(idle));
      idle = dt.idleTimeout();
    }
    return new DnsServerConfig(new DnsServerConfig.RateLimit(rate, burst, slip, v4, v6, exempt),
        new DnsServerConfig.Tcp(max, idle));
  }

  private static Optional<Route53> route53(YamlNode d) {
    if (!d.has("route53")) {
      return Optional.empty();
    }
    YamlNode f = d.get("route53").mapping(ROUTE53);
    Route53 dflt = Route53.DEFAULTS;
    String zoneId = f.get("hostedZoneId").text();
    if (zoneId != null) {
      zoneId = zoneId.startsWith("/hostedzone/") ? zoneId.substring("/hostedzone/".length()) : zoneId;
      if (!ZONE_ID.matcher(zoneId).matches()) {
        f.problem("hostedZoneId", "'" + zoneId + "' is not a hosted zone id (upper-case letters and digits, such as"
            + " Z0123456789ABCDEFGHIJ); find it with: aws route53 list-hosted-zones-by-name --dns-name <zone>");
        zoneId = null;
      }
    }
    String region = f.get("region").text(dflt.region());
    if (!REGION.matcher(region).matches()) {
      f.problem("region", "'" + region + "' is not an AWS region name (such as us-east-1)");
    }
    Optional<URI> endpoint = Optional.empty();
    String e = f.get("endpoint").text();
    if (e != null) {
      endpoint = ConfigLoader.httpUrl(e);
      if (endpoint.isEmpty()) {
        f.problem("endpoint", "'" + e + "' is not an absolute http(s) URL such as http://127.0.0.1:5000");
      }
    }
    int rps = f.get("requestsPerSecond").integer(dflt.requestsPerSecond(), 1, 100);
    Duration deadline = ConfigLoader.duration(f.get("insyncDeadline"), dflt.insyncDeadline());
    Duration poll = ConfigLoader.duration(f.get("pollInterval"), dflt.pollInterval());
    if (poll.compareTo(deadline) >= 0) {
      f.problem("pollInterval", "must be shorter than insyncDeadline (" + Durations.format(deadline) + ")");
    }
    int attempts = f.get("maxAttempts").integer(dflt.maxAttempts(), 1, 20);
    Duration base = ConfigLoader.duration(f.get("backoffBase"), dflt.backoffBase());
    Duration max = ConfigLoader.duration(f.get("backoffMax"), dflt.backoffMax());
    if (base.compareTo(max) > 0) {
      f.problem("backoffBase", "must not be longer than backoffMax (" + Durations.format(max) + ")");
    }
    Duration timeout = ConfigLoader.duration(f.get("requestTimeout"), dflt.requestTimeout());
    int failures = f.get("breakerFailures").integer(dflt.breakerFailures(), 1, 100);
    Duration openFor = ConfigLoader.duration(f.get("breakerOpenFor"), dflt.breakerOpenFor());
    int ttl = f.get("fencingTtl").integer(dflt.fencingTtl(), 0, 86_400);
    return Optional.of(new Route53(Optional.ofNullable(zoneId), region, endpoint, rps, deadline, poll, attempts, base,
        max, timeout, failures, openFor, ttl));
  }

  private static Optional<Rfc2136> rfc2136(YamlNode d, String provider) {
    if (!d.has("rfc2136")) {
      if ("rfc2136".equals(provider)) {
        d.problem("rfc2136", "is required for provider rfc2136: server (host:port of the primary), tsigKeyName"
            + " and tsigKeyEnv (the variable holding the key's secret)");
      }
      return Optional.empty();
    }
    YamlNode f = d.get("rfc2136").mapping(RFC2136);
    HostPort server = f.get("server").required("is required (host:port)").value(HostPort::parse, null);
    if (server != null && server.port() == 0) {
      f.problem("server", "port must be 1..65535 (53 for a standard name server)");
    }
    String keyName = f.get("tsigKeyName").required("is required").text();
    if (keyName != null && !DnsNames.isValidName(keyName)) {
      f.problem("tsigKeyName", "'" + keyName + "' is not a valid key name (a DNS name such as pharos-update)");
    }
    String keyEnv = f.get("tsigKeyEnv").text("PHAROS_TSIG_KEY");
    if (!keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      f.problem("tsigKeyEnv", "'" + keyEnv + "' is not an environment variable name");
    }
    String algorithm = f.get("tsigAlgorithm").text("hmac-sha256").toLowerCase(Locale.ROOT);
    if (!TSIG_ALGORITHMS.contains(algorithm)) {
      f.problem("tsigAlgorithm", "'" + algorithm + "' is not supported; use hmac-sha256, hmac-sha384 or hmac-sha512");
    }
    Duration timeout = ConfigLoader.duration(f.get("timeout"), Duration.ofSeconds(5));
    int ttl = f.get("fencingTtl").integer(60, 0, 86_400);
    if (server == null || keyName == null) {
      return Optional.empty();
    }
    return Optional.of(new Rfc2136(server, DnsNames.normalize(keyName), keyEnv, algorithm, timeout, ttl));
  }

  private static Reconcile reconcile(YamlNode d) {
    YamlNode f = d.get("reconcile").mapping(RECONCILE);
    Duration interval = ConfigLoader.duration(f.get("interval"), Reconcile.DEFAULTS.interval());
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      f.problem("interval", "must be at least 1s (Route 53 allows 5 requests/s per account)");
    }
    DriftPolicy drift = f.get("drift").enumValue(DriftPolicy.class, Reconcile.DEFAULTS.drift());
    return new Reconcile(interval, drift);
  }

  private static RecordConfig record(YamlNode r, String zone, Set<String> regions, String provider) {
    String name = r.get("name").required("is required").text();
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
    String type = r.get("type").text("A").toUpperCase(Locale.ROOT);
    if (!Set.of("A", "AAAA", "CNAME").contains(type)) {
      r.problem("type", "'" + type + "' is not supported; use A, AAAA or CNAME");
      return null;
    }
    int ttl = r.get("ttl").integer(30, 0, 86_400);
    Map<String, List<String>> targets = new LinkedHashMap<>();
    Map<String, RecordConfig.Alias> aliases = aliases(r, regions, provider);
    YamlNode t = r.get("targets");
    if (t.isPresent() && !t.isMapping()) {
      r.problem("targets", "expected a mapping of region to its addresses, found " + t.describe());
    } else if (t.keys().isEmpty() && aliases.isEmpty()) {
      r.problem("targets", "is required: a mapping of region to its addresses");
    } else {
      t.mapping();
      for (String region : t.keys()) {
        if (!regions.isEmpty() && !regions.contains(region)) {
          r.problem("targets", "'" + region + "' is not a configured region");
          continue;
        }
        if (aliases.containsKey(region)) {
          r.problem("targets", region + " has both targets and an alias; give each region one of them");
          continue;
        }
        List<String> values = t.get(region).texts();
        checkTargets(r, region, type, values);
        targets.put(region, values);
      }
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    YamlNode w = r.get("weights").mapping();
    for (String region : w.keys()) {
      Integer weight = w.get(region).integer(null, 0, 255);
      if (!targets.containsKey(region) && !aliases.containsKey(region)) {
        r.problem("weights", "'" + region + "' has a weight but no targets");
      }
      if (weight != null) {
        weights.put(region, weight);
      }
    }
    for (String region : targets.keySet()) {
      weights.putIfAbsent(region, 1);
    }
    for (String region : aliases.keySet()) {
      weights.putIfAbsent(region, 1);
    }
    if (!weights.isEmpty() && weights.values().stream().allMatch(x -> x == 0)) {
      r.problem("weights", "every weight is 0; at least one region must take traffic");
    }
    return new RecordConfig(name, type, ttl, targets, weights, aliases);
  }

  private static Map<String, RecordConfig.Alias> aliases(YamlNode r, Set<String> regions, String provider) {
    Map<String, RecordConfig.Alias> out = new LinkedHashMap<>();
    YamlNode all = r.get("aliases");
    if (!all.isPresent()) {
      return out;
    }
    if (!all.isMapping()) {
      r.problem("aliases", "expected a mapping of region to {dnsName, hostedZoneId}, found " + all.describe());
      return out;
    }
    if (!"route53".equals(provider)) {
      r.problem("aliases", "alias targets are a Route 53 feature; provider '" + provider + "' serves addresses:"
          + " use targets instead");
      return out;
    }
    all.mapping();
    for (String region : all.keys()) {
      if (!regions.isEmpty() && !regions.contains(region)) {
        r.problem("aliases", "'" + region + "' is not a configured region");
        continue;
      }
      YamlNode a = all.get(region).mapping(ALIAS);
      String dnsName = a.get("dnsName").required("is required").text();
      if (dnsName != null && !DnsNames.isValidName(dnsName)) {
        a.problem("dnsName", "'" + dnsName + "' is not a valid DNS name");
        dnsName = null;
      }
      String zoneId = a.get("hostedZoneId").required("is required").text();
      if (zoneId != null && !ZONE_ID.matcher(zoneId).matches()) {
        a.problem("hostedZoneId", "'" + zoneId + "' is not a hosted zone id (such as Z35SXDOTRQ7X7K for an ELB in"
            + " us-east-1)");
        zoneId = null;
      }
      boolean evaluate = a.get("evaluateTargetHealth").bool(false);
      if (dnsName != null && zoneId != null) {
        out.put(region, new RecordConfig.Alias(DnsNames.normalize(dnsName), zoneId, evaluate));
      }
    }
    return out;
  }

  private static void checkTargets(YamlNode r, String region, String type, List<String> values) {
    if (values.isEmpty()) {
      r.problem("targets", region + " has no targets");
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
        r.problem("targets", "'" + v + "' under " + region + " is not " + what);
      }
    }
    if ("CNAME".equals(type) && values.size() > 1) {
      r.problem("targets", "a CNAME record has exactly one target per region");
    }
  }
}
