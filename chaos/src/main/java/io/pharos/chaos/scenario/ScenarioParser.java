package io.pharos.chaos.scenario;

import io.pharos.chaos.scenario.Scenario.Abort;
import io.pharos.chaos.scenario.Scenario.Deployment;
import io.pharos.chaos.scenario.Scenario.Environment;
import io.pharos.chaos.scenario.Scenario.Expectation;
import io.pharos.chaos.scenario.Scenario.Kind;
import io.pharos.chaos.scenario.Scenario.ProxySpec;
import io.pharos.chaos.scenario.Scenario.Targets;
import io.pharos.core.config.Durations;
import io.pharos.core.config.PolicyConfig;
import io.pharos.core.yaml.YamlDocument;
import io.pharos.core.yaml.YamlNode;
import io.pharos.core.yaml.YamlProblem;
import io.pharos.core.yaml.YamlSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario file into a validated {@link Scenario}, or throws a {@link ScenarioException}
 * listing every problem with its line and field path. The schema is documented in docs/drills.md.
 */
public final class ScenarioParser {
  static final Set<String> TOP = Set.of("name", "title", "description", "pending", "schedule", "vars",
      "environment", "targets", "rpo", "steps", "expect", "abort", "notes");
  private static final Set<String> TARGETS = Set.of("detect", "dnsCommitted", "resolvers", "rto", "rpo");
  private static final Set<String> RPO = Set.of("lagSource");
  private static final Set<String> EXPECT = Set.of("failover", "noFailover", "maxFailovers", "alerts", "evacuated");
  private static final Set<String> FAILOVER = Set.of("regions", "within");
  private static final Set<String> ABORT = Set.of("after", "unexpectedFailover", "otherRegionUnhealthy");
  private static final Set<String> ENV = Set.of("sandbox", "attach", "deployment");
  private static final Set<String> SANDBOX = Set.of("network", "dns", "policy");
  /** The policy settings a drill may give its own sandbox (the rest stay the drill sandbox's). */
  private static final Set<String> SANDBOX_POLICY = Set.of("mode", "approvalEscalateAfter");
  private static final Set<String> DEPLOYMENT = Set.of("name", "controllers", "nameServers", "record", "addresses",
      "apps", "proxies", "providerProxy");
  private static final Set<String> PROXY = Set.of("listen", "upstream");
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
  private ScenarioParser() {}

  public static Scenario parse(Path file, Map<String, String> overrides) {
    try {
      return parse(Files.readString(file), file.toString(), overrides);
    } catch (IOException e) {
      throw new ScenarioException(List.of("cannot read " + file + ": " + e.getMessage()));
    }
  }

  /** @param source the file name used in messages; {@code overrides} are {@code --set k=v} values */
  public static Scenario parse(String text, String source, Map<String, String> overrides) {
    YamlDocument doc;
    try {
      doc = YamlDocument.parse(text);
    } catch (YamlSyntaxException e) {
      throw new ScenarioException(List.of(source + ": " + e.getMessage()));
    }
    if (doc.isEmpty()) {
      throw new ScenarioException(List.of(source + ": the scenario is empty"));
    }
    Map<String, String> vars = vars(doc.root(), overrides, source);
    YamlNode top = doc.root((value, at) -> substitute(value, at, vars)).mapping(TOP);
    String name = required(top, "name", "a short id such as hard-region-loss");
    if (name != null && !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      top.problem("name", "'" + name + "' is not a valid name (lower-case letters, digits and '-')");
    }
    String title = top.get("title").text();
    String schedule = top.get("schedule").text();
    Duration every = schedule == null ? null : schedule(top, schedule);
    Environment env = top.has("environment") ? environment(top) : Environment.SANDBOX;
    Targets targets = targets(top.get("targets").mapping(TARGETS));
    String lag = top.get("rpo").mapping(RPO).get("lagSource").text();
    if (!top.has("steps")) {
      top.problem("steps", "missing; a drill needs at least one step (inject, wait, assert, revert)");
    }
    List<Scenario.Step> steps = new StepParser(top).parse();
    if (env.kind() == Kind.SANDBOX && "embedded".equals(env.dns())) {
      steps.stream().filter(st -> st instanceof Scenario.Inject i && i.fault().equals("dns-provider")).findFirst()
          .ifPresent(st -> top.problem("environment", "the dns-provider fault of line " + st.line() + " needs a"
              + " provider API to fault, and the embedded provider of a sandbox has none: run it on a Route 53 sandbox"
              + " (environment: { sandbox: { dns: route53 } })"));
    }
    if (!top.has("expect")) {
      top.problem("expect", "missing; say what must happen: failover, noFailover or maxFailovers");
    }
    Expectation expect = expect(top.get("expect").mapping(EXPECT));
    YamlNode a = top.get("abort").mapping(ABORT);
    Abort abort = new Abort(duration(a.get("after"), Duration.ofMinutes(5)), a.get("unexpectedFailover").bool(true),
        a.get("otherRegionUnhealthy").bool(false));
    List<String> notes = top.get("notes").texts();
    if (doc.hasProblems()) {
      throw new ScenarioException(doc.problems().stream().map(p -> message(source, p)).toList());
    }
    return new Scenario(name, title == null ? name : title, top.get("description").text(), top.get("pending").text(),
        env, targets, lag, steps, expect, abort, schedule, every, notes, Map.copyOf(vars), source);
  }

  /**
   * {@code my.yaml: line 12: steps[1].wait.within: '30 seconds' is not a duration ...}: the line
   * first, as editors jump to it.
   */
  static String message(String source, YamlProblem p) {
    return source + ": " + (p.line() > 0 ? "line " + p.line() + ": " : "") + (p.path().isEmpty() ? "" : p.path() + ": ")
        + p.message();
  }

  /** The text under {@code key}, reported as missing (with {@code hint} on what to write) when it is not written. */
  static String required(YamlNode m, String key, String hint) {
    return m.get(key).required("missing; " + hint).text();
  }

  /** A duration greater than 0, or {@code dflt} when not written. */
  static Duration duration(YamlNode n, Duration dflt) {
    return n.value(Durations::parsePositive, dflt);
  }

  /** {@code vars:} with their defaults, then the overrides (which must name a declared variable). */
  private static Map<String, String> vars(YamlNode root, Map<String, String> overrides, String source) {
    Map<String, String> vars = new LinkedHashMap<>();
    YamlNode declared = root.get("vars").mapping();
    for (String k : declared.keys()) {
      vars.put(k, declared.get(k).text(""));
    }
    for (var e : overrides.entrySet()) {
      if (!vars.containsKey(e.getKey())) {
        throw new ScenarioException(List.of(source + ": --set " + e.getKey() + ": the scenario has no variable '"
            + e.getKey() + "'" + (vars.isEmpty() ? "" : "; its variables: " + String.join(", ", vars.keySet()))));
      }
      vars.put(e.getKey(), e.getValue());
    }
    return vars;
  }

  /** {@code ${var}} replaced by its value in every scalar read; an undeclared variable is reported where it is used. */
  private static String substitute(String value, YamlNode at, Map<String, String> vars) {
    Matcher m = VAR.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      if (v == null) {
        at.problem("unknown variable ${" + m.group(1) + "}; define it under vars: or pass --set " + m.group(1)
            + "=...");
        v = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Duration schedule(YamlNode top, String s) {
    try {
      return DrillSchedule.parse(s);
    } catch (IllegalArgumentException e) {
      top.problem("schedule", e.getMessage());
      return null;
    }
  }

  private static Environment environment(YamlNode top) {
    if (top.get("environment").isScalar()) {
      String scalar = top.get("environment").text();
      if (!"sandbox".equals(scalar)) {
        top.problem("environment", "'" + scalar + "' is not an environment: use sandbox, or a mapping with sandbox,"
            + " attach or deployment");
      }
      return Environment.SANDBOX;
    }
    YamlNode e = top.get("environment").mapping(ENV);
    if (e.keys().stream().filter(ENV::contains).count() != 1) {
      e.problem("give exactly one of sandbox, attach or deployment");
      return Environment.SANDBOX;
    }
    if (e.has("attach")) {
      return new Environment(Kind.ATTACH, null, required(e, "attach", "the sandbox.json of a running sandbox"), null);
    }
    if (e.has("sandbox")) {
      YamlNode s = e.get("sandbox").mapping(SANDBOX);
      String network = s.get("network").text();
      if (network != null && !Set.of("auto", "loopback", "netns").contains(network)) {
        s.problem("network", "'" + network + "' is not a network: use auto, loopback or netns");
      }
      String dns = s.get("dns").text();
      if (dns != null && !Set.of("embedded", "route53").contains(dns)) {
        s.problem("dns", "'" + dns + "' is not a sandbox DNS provider: use embedded (the controllers serve the zone)"
            + " or route53 (moto_server behind a chaos proxy)");
        dns = null;
      }
      return new Environment(Kind.SANDBOX, network == null ? "auto" : network, null, null,
          dns == null ? "embedded" : dns, sandboxPolicy(s.get("policy").mapping(SANDBOX_POLICY)));
    }
    return new Environment(Kind.DEPLOYMENT, null, null, deployment(e.get("deployment").mapping(DEPLOYMENT)));
  }

  /** {@code environment.sandbox.policy}: the automation mode and escalation of the drill's own sandbox. */
  private static Map<String, String> sandboxPolicy(YamlNode p) {
    Map<String, String> policy = new LinkedHashMap<>();
    String mode = p.get("mode").text();
    if (mode != null) {
      List<String> modes = java.util.Arrays.stream(PolicyConfig.AutomationMode.values())
          .map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).toList();
      if (modes.contains(mode)) {
        policy.put("mode", mode);
      } else {
        p.problem("mode", "'" + mode + "' is not an automation mode: use " + String.join(", ", modes.subList(0,
            modes.size() - 1)) + " or " + modes.get(modes.size() - 1));
      }
    }
    if (p.has("approvalEscalateAfter")) {
      if (duration(p.get("approvalEscalateAfter"), null) != null) {
        policy.put("approvalEscalateAfter", p.get("approvalEscalateAfter").text());
      }
    }
    return policy;
  }

  private static Deployment deployment(YamlNode d) {
    List<String> controllers = d.get("controllers").required("missing; expected a list").texts();
    for (String c : controllers) {
      if (!c.matches("https?://[^/\\s]+/?")) {
        d.problem("controllers", "'" + c + "' is not a controller base URL such as http://10.0.1.5:8600");
      }
    }
    if (d.has("controllers") && controllers.isEmpty()) {
      d.problem("controllers", "give at least one controller URL");
    }
    Map<String, List<String>> addresses = new LinkedHashMap<>();
    YamlNode am = d.get("addresses").mapping();
    am.keys().forEach(k -> addresses.put(k, am.get(k).required("missing; expected a list").texts()));
    Map<String, String> apps = new LinkedHashMap<>();
    YamlNode ap = d.get("apps").mapping();
    ap.keys().forEach(k -> apps.put(k, ap.get(k).text()));
    Map<String, ProxySpec> proxies = new LinkedHashMap<>();
    YamlNode px = d.get("proxies").mapping();
    px.keys().forEach(k -> proxies.put(k, proxy(px.get(k).mapping(PROXY))));
    ProxySpec provider = d.has("providerProxy") ? proxy(d.get("providerProxy").mapping(PROXY)) : null;
    return new Deployment(d.get("name").text(), controllers, d.get("nameServers").texts(), d.get("record").text(),
        addresses, apps, proxies, provider);
  }

  private static ProxySpec proxy(YamlNode p) {
    return new ProxySpec(required(p, "listen", "host:port to listen on"),
        required(p, "upstream", "host:port (TCP) or base URL (provider API) to forward to"));
  }

  private static Targets targets(YamlNode t) {
    return new Targets(duration(t.get("detect"), null), duration(t.get("dnsCommitted"), null),
        duration(t.get("resolvers"), null), duration(t.get("rto"), null), duration(t.get("rpo"), null));
  }

  private static Expectation expect(YamlNode e) {
    List<String> regions = List.of();
    Duration within = null;
    if (e.has("failover")) {
      YamlNode f = e.get("failover").mapping(FAILOVER);
      regions = f.get("regions").required("missing; expected a list").texts();
      within = duration(f.get("within"), Duration.ofSeconds(30));
    }
    boolean none = e.get("noFailover").bool(false);
    Integer max = e.get("maxFailovers").integer(null, 0, 100);
    if (!regions.isEmpty() && none) {
      e.problem("noFailover", "a drill expects either a failover or noFailover, not both");
    }
    if (e.isPresent() && regions.isEmpty() && !none && max == null) {
      e.problem("say what must happen: failover: {regions: [...]}, noFailover: true or maxFailovers: N");
    }
    List<String> evacuated = e.get("evacuated").texts();
    if (!evacuated.isEmpty() && !regions.isEmpty()) {
      e.problem("evacuated", "a drill expects either a failover or an evacuation, not both");
    }
    return new Expectation(regions, within == null ? Duration.ofSeconds(30) : within, none, max,
        e.get("alerts").texts(), evacuated);
  }

  /** Sorted names, for messages. */
  static String names(Set<String> s) {
    return String.join(", ", new TreeSet<>(s));
  }
}
