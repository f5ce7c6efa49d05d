package io.pharos.core.config;

import io.pharos.core.config.PolicyConfig.AutomationMode;
import io.pharos.core.config.PolicyConfig.FailbackPolicy;
import io.pharos.core.config.PolicyConfig.ShortEvidence;
import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import io.pharos.core.yaml.YamlDocument;
import io.pharos.core.yaml.YamlNode;
import io.pharos.core.yaml.YamlProblem;
import io.pharos.core.yaml.YamlSyntaxException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns YAML text into a validated {@link PharosConfig}, or a {@link ConfigException} listing
 * every problem with its field path and line ({@code regions[1].endpoints[0].url (line 12): not an
 * absolute http(s) URL}). Reads no files and no process environment itself: the caller passes both in.
 */
public final class ConfigLoader {
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final Set<String> TOP =
      Set.of("environment", "regions", "dns", "controllers", "probes", "policy", "security", "api", "webhooks",
          "statusPage", "alerts");
  private static final Set<String> REGION = Set.of("name", "endpoints", "capacity");
  private static final Set<String> ENDPOINT =
      Set.of("id", "url", "tcp", "expect", "latencyBudget", "interval", "timeout", "critical");
  private static final Set<String> EXPECT = Set.of("status", "body");
  private static final Set<String> PROBES = Set.of("interval", "timeout", "confirmAfter", "jitter",
      "downAfter", "upAfter", "heartbeat", "silenceAfter", "maxReportAge", "agentExpiry", "tick");
  private static final Set<String> POLICY = Set.of("mode", "writePrimary", "cooldown", "maxAutoFailovers",
      "failback", "failingErrorRate", "degradedErrorRate", "latencyBudget", "startupGrace", "recoverAfter",
      "modeLease", "selfFence", "degradedAfter", "shortEvidence", "rpo", "replicationLagSource", "capacity",
      "approvalEscalateAfter");
  private static final Set<String> MAX_AUTO = Set.of("count", "per");
  private static final Set<String> SECURITY = union(Set.of("masterSecretEnv", "regionKeyEnv", "previousKeyGrace",
      "agentStateExpiry", "hmacKeyEnv", "hmacPreviousKeyEnv"), ControllerKeyReader.FIELDS);

  private ConfigLoader() {}

  /** Parses and validates; {@code env} supplies the environment variables the config names. */
  public static PharosConfig parse(String yaml, Map<String, String> env) {
    YamlDocument doc;
    try {
      doc = YamlDocument.parse(yaml);
    } catch (YamlSyntaxException e) {
      throw new ConfigException(e.getMessage());
    }
    if (doc.isEmpty()) {
      throw new ConfigException("the configuration is empty");
    }
    YamlNode top = doc.root().mapping(TOP);
    String environment = top.get("environment").text("default");

    ProbeSettings probes = probes(top.get("probes").mapping(PROBES));
    List<RegionConfig> regions = regions(top, probes);
    Set<String> regionNames = new HashSet<>();
    regions.forEach(r -> regionNames.add(r.name()));

    PolicyConfig policy = policy(top.get("policy").mapping(POLICY), regionNames);
    regions = withLatencyBudgets(regions, policy);
    DnsConfig dns = DnsConfigReader.read(top.get("dns"), regionNames);
    ControllersConfig controllers = ControllersReader.read(top.get("controllers"), regionNames);
    YamlNode securityNode = top.get("security").mapping(SECURITY);
    SecurityConfig security = security(securityNode, env, regionNames);
    ControllerKeyConfig controllerKeys = ControllerKeyReader.read(securityNode, env);
    ApiConfig api = ApiReader.read(top.get("api"), env);
    WebhooksConfig webhooks = WebhooksReader.read(top.get("webhooks"));
    StatusPageConfig statusPage = StatusPageReader.read(top.get("statusPage"));
    AlertsConfig alerts = AlertsReader.read(top.get("alerts"), env);

    if (doc.hasProblems()) {
      throw new ConfigException(doc.problems().stream().map(YamlProblem::toString).toList());
    }
    return new PharosConfig(environment, regions, dns, controllers, probes, policy, security, controllerKeys, api,
        webhooks, statusPage, alerts);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** A duration greater than 0, or {@code dflt} when not written. */
  static Duration duration(YamlNode n, Duration dflt) {
    return n.value(Durations::parsePositive, dflt);
  }

  private static List<RegionConfig> regions(YamlNode top, ProbeSettings probes) {
    List<RegionConfig> out = new ArrayList<>();
    List<YamlNode> items = top.get("regions").requiredItems();
    if (items.size() == 1) {
      top.problem("regions", "at least 2 regions are needed to fail over, found 1");
    }
    Set<String> seen = new HashSet<>();
    for (YamlNode item : items) {
      YamlNode r = item.mapping(REGION);
      String name = r.get("name").required("is required").text();
      if (name != null && !NAME.matcher(name).matches()) {
        r.problem("name", "'" + name + "' is not a valid region name (lower-case letters, digits and '-')");
      } else if (name != null && !seen.add(name)) {
        r.problem("name", "region '" + name + "' is defined twice");
      }
      List<EndpointConfig> endpoints = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (YamlNode e : r.get("endpoints").requiredItems()) {
        EndpointConfig ep = endpoint(e.mapping(ENDPOINT), probes);
        if (ep != null && !ids.add(ep.id())) {
          e.problem("id", "endpoint '" + ep.id() + "' is defined twice in this region");
        }
        if (ep != null) {
          endpoints.add(ep);
        }
      }
      if (name != null) {
        out.add(new RegionConfig(name, endpoints, optionalUrl(r, "capacity")));
      }
    }
    return out;
  }

  /**
   * An endpoint with its probe interval and timeout (own or the probes' defaults); latency budget null
   * when not written.
   */
  private static EndpointConfig endpoint(YamlNode e, ProbeSettings probes) {
    String id = e.get("id").required("is required").text();
    if (id != null && !ID.matcher(id).matches()) {
      e.problem("id", "'" + id + "' is not a valid id (letters, digits, '.', '_', '-')");
    }
    boolean hasUrl = e.has("url");
    boolean hasTcp = e.has("tcp");
    if (hasUrl == hasTcp) {
      e.problem("an endpoint needs exactly one of url (HTTP) or tcp (host:port)");
      return null;
    }
    YamlNode expect = e.get("expect").mapping(EXPECT);
    int status = expect.get("status").integer(200, 100, 599);
    String body = expect.get("body").text();
    Duration latencyBudget = duration(e.get("latencyBudget"), null);
    Duration interval = duration(e.get("interval"), probes.interval());
    Duration timeout = duration(e.get("timeout"), probes.timeout());
    if (timeout.compareTo(interval) > 0) {
      e.problem("timeout", "must not be longer than the probe interval (" + Durations.format(interval) + "), was "
          + Durations.format(timeout));
    }
    boolean critical = e.get("critical").bool(true);
    if (hasUrl) {
      URI uri = httpUrl(e.get("url").text("")).orElse(null);
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
    HostPort address = e.get("tcp").value(HostPort::parse, null);
    if (address == null) {
      return null;
    }
    if (address.port() == 0) {
      e.problem("tcp", "port must be 1..65535");
    }
    return new EndpointConfig(id, EndpointConfig.Kind.TCP, null, address, 0, null, latencyBudget, interval,
        timeout, critical);
  }

  /** An absolute http(s) URL with a host, or empty (the caller reports it with the field path). */
  static Optional<URI> httpUrl(String s) {
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme();
      if (uri.isAbsolute() && uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException ignored) {
      // reported by the caller with the field path
    }
    return Optional.empty();
  }

  /** Fills the latency budget of each endpoint that has none from the policy's. */
  private static List<RegionConfig> withLatencyBudgets(List<RegionConfig> regions, PolicyConfig policy) {
    List<RegionConfig> out = new ArrayList<>();
    for (RegionConfig r : regions) {
      List<EndpointConfig> eps = new ArrayList<>();
      for (EndpointConfig e : r.endpoints()) {
        Duration budget = e.latencyBudget() != null ? e.latencyBudget() : policy.latencyBudget();
        eps.add(new EndpointConfig(e.id(), e.kind(), e.url(), e.address(), e.expectStatus(), e.expectBody(),
            budget, e.interval(), e.timeout(), e.critical()));
      }
      out.add(new RegionConfig(r.name(), eps, r.capacity()));
    }
    return out;
  }

  private static ProbeSettings probes(YamlNode p) {
    Duration interval = duration(p.get("interval"), Duration.ofSeconds(1));
    Duration timeout = duration(p.get("timeout"), Duration.ofMillis(500));
    Duration confirmAfter = duration(p.get("confirmAfter"), Duration.ofMillis(250));
    Duration jitter = duration(p.get("jitter"), interval);
    int downAfter = p.get("downAfter").integer(3, 1, 100);
    int upAfter = p.get("upAfter").integer(3, 1, 100);
    Duration heartbeat = duration(p.get("heartbeat"), Duration.ofSeconds(1));
    Duration silenceAfter = duration(p.get("silenceAfter"), heartbeat.multipliedBy(3));
    Duration maxReportAge = duration(p.get("maxReportAge"), Duration.ofSeconds(5));
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
    Duration agentExpiry = duration(p.get("agentExpiry"), ProbeSettings.DEFAULT_AGENT_EXPIRY);
    if (agentExpiry.compareTo(silenceAfter.multipliedBy(2)) < 0 || agentExpiry.compareTo(interval.multipliedBy(3)) < 0) {
      p.problem("agentExpiry", "must be at least twice probes.silenceAfter (" + Durations.format(silenceAfter)
          + ") and three probe intervals: an agent is silent first, and forgotten (dropped) much later");
    }
    Duration tick = duration(p.get("tick"), ProbeSettings.DEFAULT_TICK);
    if (tick.compareTo(Duration.ofSeconds(1)) > 0) {
      p.problem("tick", "must be at most 1s (a probe's start moves by up to half a tick), was " + Durations.format(tick));
    }
    return new ProbeSettings(interval, timeout, confirmAfter, jitter, downAfter, upAfter, heartbeat,
        silenceAfter, maxReportAge, agentExpiry, tick);
  }

  private static PolicyConfig policy(YamlNode p, Set<String> regions) {
    AutomationMode mode = p.get("mode").enumValue(AutomationMode.class, AutomationMode.AUTO);
    String writePrimary = p.get("writePrimary").text();
    if (writePrimary != null && !regions.isEmpty() && !regions.contains(writePrimary)) {
      p.problem("writePrimary", "'" + writePrimary + "' is not a configured region");
    }
    YamlNode max = p.get("maxAutoFailovers").mapping(MAX_AUTO);
    int count = max.get("count").integer(2, 1, 1000);
    Duration per = duration(max.get("per"), Duration.ofHours(1));
    double failing = errorRate(p.get("failingErrorRate"), 0.5);
    double degraded = errorRate(p.get("degradedErrorRate"), 0.01);
    if (degraded >= failing) {
      p.problem("degradedErrorRate", "must be below failingErrorRate (" + failing + "), was " + degraded);
    }
    return new PolicyConfig(mode, writePrimary, duration(p.get("cooldown"), Duration.ofMinutes(5)), count, per,
        p.get("failback").enumValue(FailbackPolicy.class, FailbackPolicy.MANUAL), failing, degraded,
        duration(p.get("latencyBudget"), Duration.ofSeconds(1)), orZero(p.get("startupGrace"), Duration.ofSeconds(30)),
        duration(p.get("recoverAfter"), Duration.ofSeconds(30)), duration(p.get("modeLease"), Duration.ofSeconds(15)),
        p.get("selfFence").bool(true), duration(p.get("degradedAfter"), Duration.ofMinutes(5)),
        p.get("shortEvidence").enumValue(ShortEvidence.class, ShortEvidence.APPROVE),
        duration(p.get("rpo"), Duration.ofMinutes(5)), optionalUrl(p, "replicationLagSource"),
        p.get("capacity").enumValue(PolicyConfig.CapacityPolicy.class, PolicyConfig.CapacityPolicy.ADVISORY),
        duration(p.get("approvalEscalateAfter"), PolicyConfig.DEFAULT_APPROVAL_ESCALATE_AFTER));
  }

  /** An optional absolute http(s) URL under {@code field} of {@code n}; null when absent. */
  static URI optionalUrl(YamlNode n, String field) {
    String text = n.get(field).text();
    if (text == null) {
      return null;
    }
    URI uri = httpUrl(text).orElse(null);
    if (uri == null) {
      n.problem(field, "not an absolute http(s) URL: '" + text + "'");
    }
    return uri;
  }

  /** A share of failed probes: above 0, at most 1 (or 100%). */
  private static double errorRate(YamlNode n, double dflt) {
    double d = n.fraction(dflt);
    if (d == 0) {
      n.problem("must be greater than 0 and at most 1, was 0");
      return dflt;
    }
    return d;
  }

  /** A duration where 0 is allowed ({@code startupGrace: 0s} turns the grace off). */
  private static Duration orZero(YamlNode n, Duration dflt) {
    return n.value(Durations::parse, dflt);
  }

  /**
   * The report keys' section. The secrets are read here when their variables are set (a malformed
   * value is a problem of the field that names the variable, without the value); whether one is
   * required depends on the role, checked at start ({@link SecurityConfig#requireMasterSecret}).
   */
  private static SecurityConfig security(YamlNode s, Map<String, String> env, Set<String> regions) {
    for (String retired : List.of("hmacKeyEnv", "hmacPreviousKeyEnv")) {
      if (s.has(retired)) {
        s.problem(retired, "the shared report key was replaced by one key per region: controllers read the master"
            + " secret from security.masterSecretEnv (default " + SecurityConfig.DEFAULT_MASTER_SECRET_ENV
            + "), agents their region's key from security.regionKeyEnv (default " + SecurityConfig.DEFAULT_REGION_KEY_ENV
            + ", printed by `pharos keys derive --region R`); remove this field");
      }
    }
    String masterEnv = s.get("masterSecretEnv").text(SecurityConfig.DEFAULT_MASTER_SECRET_ENV);
    String regionKeyEnv = s.get("regionKeyEnv").text(SecurityConfig.DEFAULT_REGION_KEY_ENV);
    Duration grace = orZero(s.get("previousKeyGrace"), Duration.ofHours(24));
    Duration expiry = duration(s.get("agentStateExpiry"), Duration.ofHours(1));
    MasterSecret master = null;
    String secret = masterEnv == null ? null : env.get(masterEnv);
    if (secret != null && !secret.isEmpty()) {
      try {
        master = MasterSecret.of(secret);
      } catch (IllegalArgumentException e) {
        s.problem("masterSecretEnv", "environment variable " + masterEnv + ": " + e.getMessage());
      }
    }
    RegionKey regionKey = null;
    String key = regionKeyEnv == null ? null : env.get(regionKeyEnv);
    if (key != null && !key.isEmpty()) {
      try {
        regionKey = RegionKey.parse(key);
        if (!regions.isEmpty() && !regions.contains(regionKey.region())) {
          s.problem("regionKeyEnv", "environment variable " + regionKeyEnv + " holds a key of region '"
              + regionKey.region() + "', which is not a configured region");
        }
      } catch (IllegalArgumentException e) {
        s.problem("regionKeyEnv", "environment variable " + regionKeyEnv + ": " + e.getMessage());
      }
    }
    return new SecurityConfig(masterEnv, regionKeyEnv, grace, expiry, master, regionKey);
  }

}
