package io.pharos.chaos.scenario;

import io.pharos.chaos.scenario.Scenario.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The {@code steps:} list of a scenario: inject, wait, assert, revert and operator steps. */
final class StepParser {
  static final Set<String> STEPS = Set.of("inject", "wait", "assert", "revert", "operator");
  /** Operator commands and the fields each takes besides command, region and reason. */
  static final Map<String, Set<String>> COMMANDS = Map.of(
      "evacuate", Set.of("steps", "hold"),
      "abort-evacuation", Set.of(),
      "failback", Set.of("force"));
  private static final Set<String> EVACUATION_PHASES = Set.of("running", "paused", "aborting", "evacuated", "none");
  static final Map<String, Set<String>> FAULTS = Map.of(
      "kill", Set.of(),
      "freeze", Set.of(),
      "endpoint", Set.of("errorRate", "status", "latency", "latencyRate", "hang", "blackhole"),
      "flap", Set.of("down", "up", "cycles", "status"),
      "partition", Set.of(),
      "proxy", Set.of("latency", "jitter", "bandwidth", "resetRate", "blackhole"),
      "dns-provider", Set.of("throttleRate", "errorRate", "status", "latency", "style"));
  private static final Set<String> INJECT_COMMON = Set.of("id", "fault", "target", "sideA", "sideB", "lease");
  static final Set<String> CONDITIONS = Set.of("detected", "decided", "fenced", "dns-committed", "verified",
      "completed", "resolvers-cut-over", "alert", "state", "served", "mode", "failovers", "recovered", "weight",
      "evacuation", "weights-restored", "others-untouched");
  private static final Set<String> CONDITION_FIELDS = Set.of("region", "code", "is", "atMost");
  static final String PROCESS_REF = "(app|agent|controller)@([a-z0-9][a-z0-9-]*)|controller@leader";
  static final String NODE_REF = "[a-z0-9][a-z0-9-]*|(app|agent|controller)@([a-z0-9][a-z0-9-]*|\\*)";
  private static final Set<String> STATES = Set.of("HEALTHY", "SUSPECT", "DOWN", "RECOVERING");

  private final YamlMap top;
  private final Set<String> injected = new HashSet<>();

  StepParser(YamlMap top) {
    this.top = top;
  }

  List<Scenario.Step> parse() {
    List<Scenario.Step> out = new ArrayList<>();
    List<Node> items = top.items("steps");
    if (top.has("steps") && items.isEmpty()) {
      top.problem("steps", "a drill needs at least one step");
    }
    for (int i = 0; i < items.size(); i++) {
      String path = "steps[" + i + "]";
      Node item = items.get(i);
      if (!(item instanceof MappingNode m) || m.getValue().size() != 1) {
        top.ctx().problem(item, path, "a step is a mapping with one of " + ScenarioParser.names(STEPS)
            + " (for example '- inject: { fault: kill, target: app@us-east }')");
        continue;
      }
      String kind = m.getValue().get(0).getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
      if (!STEPS.contains(kind)) {
        top.ctx().problem(item, path, "unknown step '" + kind + "'" + YamlMap.suggest(kind, STEPS) + "; a step is one of "
            + ScenarioParser.names(STEPS));
        continue;
      }
      YamlMap step = new YamlMap(top.ctx(), path, item, STEPS);
      Scenario.Step s = switch (kind) {
        case "inject" -> inject(step.child("inject", null), i);
        case "wait" -> waitStep(step.child("wait", null));
        case "assert" -> assertStep(step.child("assert", null));
        case "operator" -> operator(step.child("operator", null));
        default -> revert(step);
      };
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private Scenario.Inject inject(YamlMap m, int index) {
    String fault = m.string("fault", true, "one of " + ScenarioParser.names(FAULTS.keySet()));
    if (fault == null) {
      return null;
    }
    Set<String> params = FAULTS.get(fault);
    if (params == null) {
      m.problem("fault", "unknown fault '" + fault + "'" + YamlMap.suggest(fault, FAULTS.keySet()) + "; faults: "
          + ScenarioParser.names(FAULTS.keySet()));
      return null;
    }
    Set<String> known = new HashSet<>(INJECT_COMMON);
    known.addAll(params);
    for (String k : m.fields.keySet()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' for a " + fault + " fault" + YamlMap.suggest(k, known) + "; it takes "
            + ScenarioParser.names(known));
      }
    }
    String id = m.has("id") ? m.string("id") : fault + "-" + (index + 1);
    if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,40}")) {
      m.problem("id", "'" + id + "' is not a valid id (letters, digits, '-', '_')");
    } else if (id != null && !injected.add(id)) {
      m.problem("id", "fault id '" + id + "' is used twice");
    }
    String target = null;
    List<String> sideA = List.of();
    List<String> sideB = List.of();
    Map<String, String> values = new LinkedHashMap<>();
    switch (fault) {
      case "kill", "freeze" -> target = ref(m, "target", PROCESS_REF,
          "a process such as app@us-east, agent@us-east, controller@us-east or controller@leader");
      case "endpoint", "flap" -> target = ref(m, "target", "app@[a-z0-9][a-z0-9-]*", "an app such as app@us-east");
      case "proxy" -> target = m.string("target", true, "the name of a proxy under environment.deployment.proxies");
      case "partition" -> {
        sideA = nodes(m, "sideA");
        sideB = nodes(m, "sideB");
      }
      default -> {
        // dns-provider: the environment's providerProxy
      }
    }
    if (!fault.equals("partition") && (m.has("sideA") || m.has("sideB"))) {
      m.problem(m.has("sideA") ? "sideA" : "sideB", "only a partition has sides");
    }
    if (!Set.of("kill", "freeze", "endpoint", "flap", "proxy").contains(fault) && m.has("target")) {
      m.problem("target", "a " + fault + " fault takes no target");
    }
    params(m, fault, values);
    Duration lease = m.duration("lease", Duration.ofMinutes(5), false);
    return new Scenario.Inject(m.line(), id, fault, target, values, sideA, sideB, lease);
  }

  private static void params(YamlMap m, String fault, Map<String, String> values) {
    for (String k : FAULTS.get(fault)) {
      if (!m.has(k)) {
        continue;
      }
      switch (k) {
        case "latency", "jitter", "down", "up" -> {
          Duration d = m.duration(k, null, false);
          if (d != null) {
            values.put(k, Long.toString(d.toMillis()));
          }
        }
        case "errorRate", "latencyRate", "resetRate", "throttleRate" -> values.put(k,
            Double.toString(m.fraction(k, 0)));
        case "status" -> values.put(k, String.valueOf(m.integer(k, 503, 100, 599)));
        case "cycles" -> values.put(k, String.valueOf(m.integer(k, 5, 1, 100)));
        case "bandwidth" -> values.put(k, String.valueOf(m.integer(k, 0, 1, Integer.MAX_VALUE)));
        case "hang", "blackhole" -> values.put(k, Boolean.toString(m.bool(k, false)));
        case "style" -> {
          String s = m.string(k);
          if (s != null && !s.equals("http") && !s.equals("aws")) {
            m.problem(k, "'" + s + "' is not a throttling style: use http (429) or aws (400 Throttling)");
          }
          values.put(k, s);
        }
        default -> throw new IllegalStateException(k);
      }
    }
    if (fault.equals("endpoint") && values.isEmpty()) {
      m.problem(null, "an endpoint fault needs at least one of " + ScenarioParser.names(FAULTS.get("endpoint")));
    }
    if (fault.equals("flap")) {
      for (String k : List.of("down", "up")) {
        if (!m.has(k)) {
          m.problem(null, k + ": missing; a flap needs down and up durations (for example down: 3s, up: 2s)");
        }
      }
    }
  }

  private static String ref(YamlMap m, String k, String pattern, String hint) {
    String v = m.string(k, true, "a " + m.string("fault") + " needs a target: " + hint);
    if (v != null && !v.matches(pattern)) {
      m.problem(k, "'" + v + "' is not a valid target; expected " + hint);
      return null;
    }
    return v;
  }

  private static List<String> nodes(YamlMap m, String k) {
    List<String> refs = m.strings(k, true);
    for (String r : refs) {
      if (!r.matches(NODE_REF)) {
        m.problem(k, "'" + r + "' is neither a region nor a process (app@R, agent@R, controller@R, controller@*)");
      }
    }
    if (m.has(k) && refs.isEmpty()) {
      m.problem(k, "a side of a partition needs at least one region or process");
    }
    return refs;
  }

  private Scenario.Wait waitStep(YamlMap m) {
    Set<String> known = new HashSet<>(CONDITION_FIELDS);
    known.addAll(Set.of("until", "within", "for"));
    unknown(m, known, "wait");
    if (m.has("for") == m.has("until")) {
      m.problem(null, "a wait needs either until: <condition> (with within: <deadline>) or for: <duration>");
      return null;
    }
    if (m.has("for")) {
      return new Scenario.Wait(m.line(), null, null, m.duration("for", Duration.ofSeconds(1), true));
    }
    Condition c = condition(m, "until");
    Duration within = m.duration("within", Duration.ofSeconds(30), true);
    return c == null ? null : new Scenario.Wait(m.line(), c, within, null);
  }

  private Scenario.Assert assertStep(YamlMap m) {
    Set<String> known = new HashSet<>(CONDITION_FIELDS);
    known.add("that");
    unknown(m, known, "assert");
    Condition c = condition(m, "that");
    return c == null ? null : new Scenario.Assert(m.line(), c);
  }

  private static void unknown(YamlMap m, Set<String> known, String what) {
    for (String k : m.fields.keySet()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' in a " + what + YamlMap.suggest(k, known) + "; it takes "
            + ScenarioParser.names(known));
      }
    }
  }

  private static Condition condition(YamlMap m, String key) {
    String kind = m.string(key, true, "a condition: " + ScenarioParser.names(CONDITIONS));
    if (kind == null) {
      return null;
    }
    if (!CONDITIONS.contains(kind)) {
      m.problem(key, "unknown condition '" + kind + "'" + YamlMap.suggest(kind, CONDITIONS) + "; conditions: "
          + ScenarioParser.names(CONDITIONS));
      return null;
    }
    String region = m.string("region");
    String code = m.string("code");
    String is = m.string("is");
    Integer atMost = m.integer("atMost", null, 0, 1000);
    switch (kind) {
      case "weight" -> {
        require(m, region != null, "region", "a weight condition needs region:");
        require(m, is != null && is.matches("\\d{1,3}%?"), "is", "a weight condition needs is: a weight (e.g. 0)"
            + " or a percentage of the configured weight (e.g. 75%)");
      }
      case "evacuation" -> {
        require(m, region != null, "region", "an evacuation condition needs region:");
        require(m, is != null && EVACUATION_PHASES.contains(is), "is", "an evacuation condition needs is: one of "
            + ScenarioParser.names(EVACUATION_PHASES));
      }
      case "others-untouched" -> require(m, region != null, "region",
          "others-untouched needs region: (the one region allowed to change)");
      case "alert" -> require(m, code != null, "code", "an alert condition needs code: (e.g. MonitoringPartition)");
      case "state" -> {
        require(m, region != null, "region", "a state condition needs region:");
        require(m, is != null && STATES.contains(is), "is", "a state condition needs is: one of "
            + ScenarioParser.names(STATES));
      }
      case "served" -> {
        require(m, region != null, "region", "a served condition needs region:");
        require(m, "true".equals(is) || "false".equals(is), "is", "a served condition needs is: true or false");
      }
      case "mode" -> {
        require(m, region != null, "region", "a mode condition needs region:");
        require(m, "read-only".equals(is) || "read-write".equals(is), "is",
            "a mode condition needs is: read-only or read-write");
      }
      case "failovers" -> require(m, atMost != null, "atMost", "a failovers condition needs atMost: N");
      case "resolvers-cut-over" -> require(m, region != null, "region", "resolvers-cut-over needs region:");
      default -> {
        // timeline conditions: region optional
      }
    }
    return new Condition(kind, region, code, is, atMost);
  }

  private Scenario.Operator operator(YamlMap m) {
    String command = m.string("command", true, "one of " + ScenarioParser.names(COMMANDS.keySet())
        + " (for example '- operator: { command: evacuate, region: us-east, steps: [75, 50, 0], hold: 2s }')");
    if (command == null) {
      return null;
    }
    Set<String> params = COMMANDS.get(command);
    if (params == null) {
      m.problem("command", "unknown operator command '" + command + "'" + YamlMap.suggest(command, COMMANDS.keySet())
          + "; commands: " + ScenarioParser.names(COMMANDS.keySet()));
      return null;
    }
    Set<String> known = new HashSet<>(Set.of("command", "region", "reason"));
    known.addAll(params);
    for (String k : m.fields.keySet()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' for operator command " + command + YamlMap.suggest(k, known)
            + "; it takes " + ScenarioParser.names(known));
      }
    }
    String region = m.string("region", true, "the region the command is about, e.g. region: us-east");
    if (region != null && !region.matches("[a-z0-9][a-z0-9-]*")) {
      m.problem("region", "'" + region + "' is not a region name");
    }
    List<Integer> steps = new ArrayList<>();
    for (String p : m.strings("steps", false)) {
      try {
        steps.add(Integer.parseInt(p.endsWith("%") ? p.substring(0, p.length() - 1).strip() : p));
      } catch (NumberFormatException e) {
        m.problem("steps", "'" + p + "' is not a whole percentage; steps are percentages of the region's configured"
            + " weight, e.g. [75, 50, 0]");
        steps = null;
        break;
      }
    }
    Duration hold = m.duration("hold", null, false);
    if (steps != null && (!steps.isEmpty() || hold != null)) {
      String problem = io.pharos.core.decision.EvacuationPlan.problem(
          steps.isEmpty() ? io.pharos.core.decision.EvacuationPlan.DEFAULT_STEPS : steps,
          hold == null ? io.pharos.core.decision.EvacuationPlan.DEFAULT_HOLD : hold);
      if (problem != null) {
        m.problem(problem.startsWith("hold") ? "hold" : "steps", problem);
      }
    }
    String reason = m.has("reason") ? m.string("reason") : "drill " + top.string("name");
    return new Scenario.Operator(m.line(), command, region, steps == null ? List.of() : steps, hold,
        m.bool("force", false), reason);
  }

  private static void require(YamlMap m, boolean ok, String field, String message) {
    if (!ok) {
      m.problem(m.has(field) ? field : null, message);
    }
  }

  private Scenario.Revert revert(YamlMap step) {
    String id = step.string("revert", true, "the id of an injected fault, or all");
    if (id == null) {
      return null;
    }
    if (!id.equals("all") && !injected.contains(id)) {
      step.problem("revert", "no fault with id '" + id + "' was injected before this step"
          + (injected.isEmpty() ? "" : "; injected so far: " + ScenarioParser.names(injected)));
    }
    return new Scenario.Revert(step.line(), id);
  }
}
