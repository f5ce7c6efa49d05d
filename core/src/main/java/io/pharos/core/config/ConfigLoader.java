package io.pharos.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pharos.core.config.PolicyConfig.AutomationMode;
import io.pharos.core.config.PolicyConfig.FailbackPolicy;
import io.pharos.core.config.PolicyConfig.ShortEvidence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns YAML text into a validated {@link PharosConfig}, or a {@link ConfigException} listing
 * every problem with its field path ({@code regions[1].endpoints[0].url: not an absolute http(s)
 * URL}). Reads no files and no process environment itself: the caller passes both in.
 */
public final class ConfigLoader {
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final int MIN_KEY_LENGTH = 16;

  private static final Set<String> TOP =
      Set.of("environment", "regions", "dns", "controllers", "probes", "policy", "security");
  private static final Set<String> REGION = Set.of("name", "endpoints");
  private static final Set<String> ENDPOINT =
      Set.of("id", "url", "tcp", "expect", "latencyBudget", "interval", "timeout", "critical");
  private static final Set<String> EXPECT = Set.of("status", "body");
  private static final Set<String> PROBES = Set.of("interval", "timeout", "confirmAfter", "jitter",
      "downAfter", "upAfter", "heartbeat", "silenceAfter", "maxReportAge");
  private static final Set<String> POLICY = Set.of("mode", "writePrimary", "cooldown", "maxAutoFailovers",
      "failback", "failingErrorRate", "degradedErrorRate", "latencyBudget", "startupGrace", "recoverAfter",
      "modeLease", "selfFence", "degradedAfter", "shortEvidence");
  private static final Set<String> MAX_AUTO = Set.of("count", "per");
  private static final Set<String> SECURITY = Set.of("hmacKeyEnv", "hmacPreviousKeyEnv", "previousKeyGrace");

  private ConfigLoader() {}

  /** Parses and validates; {@code env} supplies the environment variables the config names. */
  public static PharosConfig parse(String yaml, Map<String, String> env) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
      throw new ConfigException(where + "not valid YAML: " + e.getOriginalMessage());
    }
    List<String> problems = new ArrayList<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException("the configuration is empty");
    }
    Fields top = Fields.of(root, "", problems, TOP);
    String environment = top.string("environment", "default");

    List<RegionConfig> regions = regions(top, problems);
    Set<String> regionNames = new HashSet<>();
    regions.forEach(r -> regionNames.add(r.name()));

    ProbeSettings probes = probes(top.child("probes", PROBES));
    PolicyConfig policy = policy(top.child("policy", POLICY), regionNames);
    regions = applyDefaults(regions, probes, policy, top, problems);
    DnsConfig dns = DnsConfigReader.read(top.child("dns", DnsConfigReader.KNOWN), regionNames, top.has("dns"));
    ControllersConfig controllers =
        ControllersReader.read(top.child("controllers", ControllersReader.KNOWN), regionNames, top.has("controllers"));
    SecurityConfig security = security(top.child("security", SECURITY), env);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new PharosConfig(environment, regions, dns, controllers, probes, policy, security);
  }

  private static List<RegionConfig> regions(Fields top, List<String> problems) {
    List<RegionConfig> out = new ArrayList<>();
    List<Fields> items = top.objects("regions", REGION, true);
    if (items.size() == 1) {
      top.problem("regions", "at least 2 regions are needed to fail over, found 1");
    }
    Set<String> seen = new HashSet<>();
    for (Fields r : items) {
      String name = r.requiredString("name");
      if (name != null && !NAME.matcher(name).matches()) {
        r.problem("name", "'" + name + "' is not a valid region name (lower-case letters, digits and '-')");
      } else if (name != null && !seen.add(name)) {
        r.problem("name", "region '" + name + "' is defined twice");
      }
      List<EndpointConfig> endpoints = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Fields e : r.objects("endpoints", ENDPOINT, true)) {
        EndpointConfig ep = endpoint(e);
        if (ep != null && !ids.add(ep.id())) {
          e.problem("id", "endpoint '" + ep.id() + "' is defined twice in this region");
        }
        if (ep != null) {
          endpoints.add(ep);
        }
      }
      if (name != null) {
        out.add(new RegionConfig(name, endpoints));
      }
    }
    return out;
  }

  /** An endpoint as written; durations left null fall back to probes/policy defaults later. */
  private static EndpointConfig endpoint(Fields e) {
    String id = e.requiredString("id");
    if (id != null && !ID.matcher(id).matches()) {
      e.problem("id", "'" + id + "' is not a valid id (letters, digits, '.', '_', '-')");
    }
    boolean hasUrl = e.has("url");
    boolean hasTcp = e.has("tcp");
    if (hasUrl == hasTcp) {
      e.problem(null, "an endpoint needs exactly one of url (HTTP) or tcp (host:port)");
      return null;
    }
    Fields expect = e.child("expect", EXPECT);
    int status = expect.integer("status", 200, 100, 599);
    String body = expect.string("body", null);
    Duration latencyBudget = e.duration("latencyBudget", null);
    Duration interval = e.duration("interval", null);
    Duration timeout = e.duration("timeout", null);
    boolean critical = e.bool("critical", true);
    if (hasUrl) {
      java.net.URI uri = parseHttpUrl(e.string("url", ""));
      if (uri == null) {
        e.problem("url", "not an absolute http(s) URL");
        return null;
      }
      return new EndpointConfig(id, EndpointConfig.Kind.HTTP, uri, null, status, body, latencyBudget,
          interval, timeout, critical);
    }
    if (expect.has("status") || expect.has("body")) {
      e.problem("expect", "only HTTP endpoints take expect");
    }
    HostPort address = e.hostPort("tcp", true);
    if (address == null) {
      return null;
    }
    if (address.port() == 0) {
      e.problem("tcp", "port must be 1..65535");
    }
    return new EndpointConfig(id, EndpointConfig.Kind.TCP, null, address, 0, null, latencyBudget, interval,
        timeout, critical);
  }

  private static java.net.URI parseHttpUrl(String s) {
    try {
      java.net.URI uri = new java.net.URI(s);
      String scheme = uri.getScheme();
      if (uri.isAbsolute() && uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        return uri;
      }
    } catch (java.net.URISyntaxException ignored) {
      // reported by the caller with the field path
    }
    return null;
  }

  /** Fills each endpoint's interval, timeout and latency budget from the shared settings. */
  private static List<RegionConfig> applyDefaults(
      List<RegionConfig> regions, ProbeSettings probes, PolicyConfig policy, Fields top, List<String> problems) {
    List<RegionConfig> out = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) {
      RegionConfig r = regions.get(i);
      List<EndpointConfig> eps = new ArrayList<>();
      for (int j = 0; j < r.endpoints().size(); j++) {
        EndpointConfig e = r.endpoints().get(j);
        Duration interval = e.interval() != null ? e.interval() : probes.interval();
        Duration timeout = e.timeout() != null ? e.timeout() : probes.timeout();
        Duration budget = e.latencyBudget() != null ? e.latencyBudget() : policy.latencyBudget();
        if (timeout.compareTo(interval) > 0) {
          problems.add(top.path("regions") + "[" + i + "].endpoints[" + j + "].timeout: must not be longer than"
              + " the probe interval (" + Durations.format(interval) + "), was " + Durations.format(timeout));
        }
        eps.add(new EndpointConfig(e.id(), e.kind(), e.url(), e.address(), e.expectStatus(), e.expectBody(),
            budget, interval, timeout, e.critical()));
      }
      out.add(new RegionConfig(r.name(), eps));
    }
    return out;
  }

  private static ProbeSettings probes(Fields p) {
    Duration interval = p.duration("interval", Duration.ofSeconds(1));
    Duration timeout = p.duration("timeout", Duration.ofMillis(500));
    Duration confirmAfter = p.duration("confirmAfter", Duration.ofMillis(250));
    Duration jitter = p.duration("jitter", interval);
    int downAfter = p.integer("downAfter", 3, 1, 100);
    int upAfter = p.integer("upAfter", 3, 1, 100);
    Duration heartbeat = p.duration("heartbeat", Duration.ofSeconds(1));
    Duration silenceAfter = p.duration("silenceAfter", heartbeat.multipliedBy(3));
    Duration maxReportAge = p.duration("maxReportAge", Duration.ofSeconds(5));
    if (timeout.compareTo(interval) > 0) {
      p.problem("timeout", "must not be longer than probes.interval (" + Durations.format(interval) + ")");
    }
    if (confirmAfter.compareTo(interval) >= 0) {
      p.problem("confirmAfter", "must be shorter than probes.interval (" + Durations.format(interval) + ")");
    }
    if (silenceAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
      p.problem("silenceAfter", "must be at least twice the heartbeat (" + Durations.format(heartbeat)
          + ") or a single lost report makes an agent look silent");
    }
    return new ProbeSettings(interval, timeout, confirmAfter, jitter, downAfter, upAfter, heartbeat,
        silenceAfter, maxReportAge);
  }

  private static PolicyConfig policy(Fields p, Set<String> regions) {
    AutomationMode mode = p.enumValue("mode", AutomationMode.class, AutomationMode.AUTO);
    String writePrimary = p.string("writePrimary", null);
    if (writePrimary != null && !regions.isEmpty() && !regions.contains(writePrimary)) {
      p.problem("writePrimary", "'" + writePrimary + "' is not a configured region");
    }
    Fields max = p.child("maxAutoFailovers", MAX_AUTO);
    int count = max.integer("count", 2, 1, 1000);
    Duration per = max.duration("per", Duration.ofHours(1));
    double failing = p.fraction("failingErrorRate", 0.5);
    double degraded = p.fraction("degradedErrorRate", 0.01);
    if (degraded >= failing) {
      p.problem("degradedErrorRate", "must be below failingErrorRate (" + failing + "), was " + degraded);
    }
    return new PolicyConfig(mode, writePrimary, p.duration("cooldown", Duration.ofMinutes(5)), count, per,
        p.enumValue("failback", FailbackPolicy.class, FailbackPolicy.MANUAL), failing, degraded,
        p.duration("latencyBudget", Duration.ofSeconds(1)), orZero(p, "startupGrace", Duration.ofSeconds(30)),
        p.duration("recoverAfter", Duration.ofSeconds(30)), p.duration("modeLease", Duration.ofSeconds(15)),
        p.bool("selfFence", true), p.duration("degradedAfter", Duration.ofMinutes(5)),
        p.enumValue("shortEvidence", ShortEvidence.class, ShortEvidence.APPROVE));
  }

  /** A duration where 0 is allowed ({@code startupGrace: 0s} turns the grace off). */
  private static Duration orZero(Fields p, String field, Duration dflt) {
    String s = p.string(field, null);
    if ("0".equals(s) || "0s".equals(s) || "0ms".equals(s)) {
      return Duration.ZERO;
    }
    return p.duration(field, dflt);
  }

  private static SecurityConfig security(Fields s, Map<String, String> env) {
    String keyEnv = s.string("hmacKeyEnv", "PHAROS_HMAC_KEY");
    String previousEnv = s.string("hmacPreviousKeyEnv", "PHAROS_HMAC_KEY_PREVIOUS");
    Duration grace = s.duration("previousKeyGrace", Duration.ofHours(24));
    byte[] key = null;
    String value = keyEnv == null ? null : env.get(keyEnv);
    if (value == null || value.isEmpty()) {
      s.problem("hmacKeyEnv", "environment variable " + keyEnv + " is not set (it holds the report signing key)");
    } else if (value.length() < MIN_KEY_LENGTH) {
      s.problem("hmacKeyEnv", "the key in " + keyEnv + " is too short (at least " + MIN_KEY_LENGTH
          + " characters)");
    } else {
      key = value.getBytes(StandardCharsets.UTF_8);
    }
    byte[] previous = null;
    String prev = previousEnv == null ? null : env.get(previousEnv);
    if (prev != null && !prev.isEmpty()) {
      if (prev.length() < MIN_KEY_LENGTH) {
        s.problem("hmacPreviousKeyEnv", "the key in " + previousEnv + " is too short (at least "
            + MIN_KEY_LENGTH + " characters)");
      } else {
        previous = prev.getBytes(StandardCharsets.UTF_8);
      }
    }
    return new SecurityConfig(keyEnv, previousEnv, grace, key, previous);
  }
}
