package io.pharos.chaos.scenario;

import io.pharos.chaos.scenario.Scenario.Abort;
import io.pharos.chaos.scenario.Scenario.Deployment;
import io.pharos.chaos.scenario.Scenario.Environment;
import io.pharos.chaos.scenario.Scenario.Expectation;
import io.pharos.chaos.scenario.Scenario.Kind;
import io.pharos.chaos.scenario.Scenario.ProxySpec;
import io.pharos.chaos.scenario.Scenario.Targets;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

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
  private static final Set<String> SANDBOX = Set.of("network", "dns");
  private static final Set<String> DEPLOYMENT = Set.of("name", "controllers", "nameServers", "record", "addresses",
      "apps", "proxies", "providerProxy");
  private static final Set<String> PROXY = Set.of("listen", "upstream");
  private static final Map<String, Duration> SCHEDULES = Map.of("weekly", Duration.ofDays(7), "monthly",
      Duration.ofDays(31), "quarterly", Duration.ofDays(92), "yearly", Duration.ofDays(366));

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
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new ScenarioException(List.of(source + ": line " + (e.getProblemMark().getLine() + 1) + ", column "
          + (e.getProblemMark().getColumn() + 1) + ": not valid YAML: " + e.getProblem()));
    } catch (YAMLException e) {
      throw new ScenarioException(List.of(source + ": not valid YAML: " + e.getMessage()));
    }
    if (root == null) {
      throw new ScenarioException(List.of(source + ": the scenario is empty"));
    }
    YamlMap.Ctx ctx = new YamlMap.Ctx(source, vars(root, overrides, source));
    YamlMap top = new YamlMap(ctx, "", root, TOP);
    String name = top.string("name", true, "a short id such as hard-region-loss");
    if (name != null && !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      top.problem("name", "'" + name + "' is not a valid name (lower-case letters, digits and '-')");
    }
    String title = top.string("title");
    String schedule = top.string("schedule");
    Duration every = schedule == null ? null : schedule(top, schedule);
    Environment env = top.has("environment") ? environment(top) : Environment.SANDBOX;
    Targets targets = targets(top.child("targets", TARGETS));
    String lag = top.child("rpo", RPO).string("lagSource");
    if (!top.has("steps")) {
      top.problem(null, "steps: missing; a drill needs at least one step (inject, wait, assert, revert)");
    }
    List<Scenario.Step> steps = new StepParser(top).parse();
    if (env.kind() == Kind.SANDBOX && "embedded".equals(env.dns())) {
      steps.stream().filter(st -> st instanceof Scenario.Inject i && i.fault().equals("dns-provider")).findFirst()
          .ifPresent(st -> top.problem("environment", "the dns-provider fault of line " + st.line() + " needs a"
              + " provider API to fault, and the embedded provider of a sandbox has none: run it on a Route 53 sandbox"
              + " (environment: { sandbox: { dns: route53 } })"));
    }
    if (!top.has("expect")) {
      top.problem(null, "expect: missing; say what must happen: failover, noFailover or maxFailovers");
    }
    Expectation expect = expect(top.child("expect", EXPECT));
    YamlMap a = top.child("abort", ABORT);
    Abort abort = new Abort(a.duration("after", Duration.ofMinutes(5), false), a.bool("unexpectedFailover", true),
        a.bool("otherRegionUnhealthy", false));
    List<String> notes = top.strings("notes", false);
    if (!ctx.problems.isEmpty()) {
      throw new ScenarioException(ctx.problems);
    }
    return new Scenario(name, title == null ? name : title, top.string("description"), top.string("pending"), env,
        targets, lag, steps, expect, abort, schedule, every, notes, Map.copyOf(ctx.vars), source);
  }

  /** {@code vars:} with their defaults, then the overrides (which must name a declared variable). */
  private static Map<String, String> vars(Node root, Map<String, String> overrides, String source) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (root instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("vars")
            && t.getValueNode() instanceof MappingNode vm) {
          for (NodeTuple v : vm.getValue()) {
            if (v.getKeyNode() instanceof ScalarNode vk && v.getValueNode() instanceof ScalarNode vv) {
              vars.put(vk.getValue(), vv.getValue());
            }
          }
        }
      }
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

  private static Duration schedule(YamlMap top, String s) {
    Duration d = SCHEDULES.get(s);
    if (d != null) {
      return d;
    }
    try {
      return io.pharos.core.config.Durations.parse(s);
    } catch (IllegalArgumentException e) {
      top.problem("schedule", "'" + s + "' is not a schedule: use weekly, monthly, quarterly, yearly or a duration"
          + " such as 30d");
      return null;
    }
  }

  private static Environment environment(YamlMap top) {
    String scalar = top.fields.get("environment") instanceof ScalarNode ? top.string("environment") : null;
    if (scalar != null) {
      if (!scalar.equals("sandbox")) {
        top.problem("environment", "'" + scalar + "' is not an environment: use sandbox, or a mapping with sandbox,"
            + " attach or deployment");
      }
      return Environment.SANDBOX;
    }
    YamlMap e = top.child("environment", ENV);
    if (e.fields.size() != 1) {
      e.problem(null, "give exactly one of sandbox, attach or deployment");
      return Environment.SANDBOX;
    }
    if (e.has("attach")) {
      return new Environment(Kind.ATTACH, null, e.string("attach", true, "the sandbox.json of a running sandbox"),
          null);
    }
    if (e.has("sandbox")) {
      YamlMap s = e.child("sandbox", SANDBOX);
      String network = s.string("network");
      if (network != null && !Set.of("auto", "loopback", "netns").contains(network)) {
        s.problem("network", "'" + network + "' is not a network: use auto, loopback or netns");
      }
      String dns = s.string("dns");
      if (dns != null && !Set.of("embedded", "route53").contains(dns)) {
        s.problem("dns", "'" + dns + "' is not a sandbox DNS provider: use embedded (the controllers serve the zone)"
            + " or route53 (moto_server behind a chaos proxy)");
        dns = null;
      }
      return new Environment(Kind.SANDBOX, network == null ? "auto" : network, null, null,
          dns == null ? "embedded" : dns);
    }
    return new Environment(Kind.DEPLOYMENT, null, null, deployment(e.child("deployment", DEPLOYMENT)));
  }

  private static Deployment deployment(YamlMap d) {
    List<String> controllers = d.strings("controllers", true);
    for (String c : controllers) {
      if (!c.matches("https?://[^/\\s]+/?")) {
        d.problem("controllers", "'" + c + "' is not a controller base URL such as http://10.0.1.5:8600");
      }
    }
    if (d.has("controllers") && controllers.isEmpty()) {
      d.problem("controllers", "give at least one controller URL");
    }
    Map<String, List<String>> addresses = new LinkedHashMap<>();
    YamlMap am = d.child("addresses", null);
    am.fields.keySet().forEach(k -> addresses.put(k, am.strings(k, true)));
    Map<String, String> apps = new LinkedHashMap<>();
    YamlMap ap = d.child("apps", null);
    ap.fields.keySet().forEach(k -> apps.put(k, ap.string(k)));
    Map<String, ProxySpec> proxies = new LinkedHashMap<>();
    YamlMap px = d.child("proxies", null);
    px.fields.keySet().forEach(k -> proxies.put(k, proxy(px.child(k, PROXY))));
    ProxySpec provider = d.has("providerProxy") ? proxy(d.child("providerProxy", PROXY)) : null;
    return new Deployment(d.string("name"), controllers, d.strings("nameServers", false), d.string("record"),
        addresses, apps, proxies, provider);
  }

  private static ProxySpec proxy(YamlMap p) {
    return new ProxySpec(p.string("listen", true, "host:port to listen on"),
        p.string("upstream", true, "host:port (TCP) or base URL (provider API) to forward to"));
  }

  private static Targets targets(YamlMap t) {
    return new Targets(t.duration("detect", null, false), t.duration("dnsCommitted", null, false),
        t.duration("resolvers", null, false), t.duration("rto", null, false), t.duration("rpo", null, false));
  }

  private static Expectation expect(YamlMap e) {
    List<String> regions = List.of();
    Duration within = null;
    if (e.has("failover")) {
      YamlMap f = e.child("failover", FAILOVER);
      regions = f.strings("regions", true);
      within = f.duration("within", Duration.ofSeconds(30), false);
    }
    boolean none = e.bool("noFailover", false);
    Integer max = e.integer("maxFailovers", null, 0, 100);
    if (!regions.isEmpty() && none) {
      e.problem("noFailover", "a drill expects either a failover or noFailover, not both");
    }
    if (e.node != null && regions.isEmpty() && !none && max == null) {
      e.problem(null, "say what must happen: failover: {regions: [...]}, noFailover: true or maxFailovers: N");
    }
    List<String> evacuated = e.strings("evacuated", false);
    if (!evacuated.isEmpty() && !regions.isEmpty()) {
      e.problem("evacuated", "a drill expects either a failover or an evacuation, not both");
    }
    return new Expectation(regions, within == null ? Duration.ofSeconds(30) : within, none, max,
        e.strings("alerts", false), evacuated);
  }

  /** Sorted names, for messages. */
  static String names(Set<String> s) {
    return String.join(", ", new TreeSet<>(s));
  }
}
