package io.pharos.chaos.scenario;

import io.pharos.chaos.scenario.Scenario.Condition;
import io.pharos.core.yaml.Spelling;
import io.pharos.core.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code steps:} list of a scenario: inject, wait, assert, revert and operator steps. */
final class StepParser {
  static final Set<String> STEPS = Set.of("inject", "wait", "assert", "revert", "operator");
  /** Operator commands and the fields each takes besides command, region and reason. */
  static final Map<String, Set<String>> COMMANDS = Map.of(
      "evacuate", Set.of("steps", "hold"),
      "abort-evacuation", Set.of(),
      "failback", Set.of("force"),
      "approve", Set.of(),
      "reject", Set.of());
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
      "evacuation", "weights-restored", "others-untouched", "local-alert", "approval");
  private static final Set<String> CONDITION_FIELDS = Set.of("region", "code", "is", "atMost", "at");
  static final String PROCESS_REF = "(app|agent|controller)@([a-z0-9][a-z0-9-]*)|controller@leader";
  static final String NODE_REF = "[a-z0-9][a-z0-9-]*|(app|agent|controller)@([a-z0-9][a-z0-9-]*|\\*)";
  private static final Set<String> STATES = Set.of("HEALTHY", "SUSPECT", "DOWN", "RECOVERING");

  private final YamlNode top;
  private final Set<String> injected = new HashSet<>();

  StepParser(YamlNode top) {
    this.top = top;
  }

  List<Scenario.Step> parse() {
    List<Scenario.Step> out = new ArrayList<>();
    YamlNode list = top.get("steps");
    List<YamlNode> items = list.items();
    if (list.isList() && items.isEmpty()) {
      top.problem("steps", "a drill needs at least one step");
    }
    for (int i = 0; i < items.size(); i++) {
      YamlNode item = items.get(i);
      if (!item.isMapping() || item.keys().size() != 1) {
        item.problem("a step is a mapping with one of " + ScenarioParser.names(STEPS)
            + " (for example '- inject: { fault: kill, target: app@us-east }')");
        continue;
      }
      String kind = item.keys().get(0);
      if (!STEPS.contains(kind)) {
        item.problem("unknown step '" + kind + "'" + Spelling.didYouMean(kind, STEPS) + "; a step is one of "
            + ScenarioParser.names(STEPS));
        continue;
      }
      YamlNode step = item.mapping(STEPS);
      Scenario.Step s = switch (kind) {
        case "inject" -> inject(step.get("inject").mapping(), i);
        case "wait" -> waitStep(step.get("wait").mapping());
        case "assert" -> assertStep(step.get("assert").mapping());
        case "operator" -> operator(step.get("operator").mapping());
        default -> revert(step);
      };
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private Scenario.Inject inject(YamlNode m, int index) {
    String fault = ScenarioParser.required(m, "fault", "one of " + ScenarioParser.names(FAULTS.keySet()));
    if (fault == null) {
      return null;
    }
    Set<String> params = FAULTS.get(fault);
    if (params == null) {
      m.problem("fault", "unknown fault '" + fault + "'" + Spelling.didYouMean(fault, FAULTS.keySet()) + "; faults: "
          + ScenarioParser.names(FAULTS.keySet()));
      return null;
    }
    Set<String> known = new HashSet<>(INJECT_COMMON);
    known.addAll(params);
    for (String k : m.keys()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' for a " + fault + " fault" + Spelling.didYouMean(k, known)
            + "; it takes " + ScenarioParser.names(known));
      }
    }
    String id = m.has("id") ? m.get("id").text() : fault + "-" + (index + 1);
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
      case "proxy" -> target = ScenarioParser.required(m, "target",
          "the name of a proxy under environment.deployment.proxies");
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
    Duration lease = ScenarioParser.duration(m.get("lease"), Duration.ofMinutes(5));
    return new Scenario.Inject(m.line(), id, fault, target, values, sideA, sideB, lease);
  }

  private static void params(YamlNode m, String fault, Map<String, String> values) {
    for (String k : FAULTS.get(fault)) {
      if (!m.has(k)) {
        continue;
      }
      switch (k) {
        case "latency", "jitter", "down", "up" -> {
          Duration d = ScenarioParser.duration(m.get(k), null);
          if (d != null) {
            values.put(k, Long.toString(d.toMillis()));
          }
        }
        case "errorRate", "latencyRate", "resetRate", "throttleRate" -> values.put(k,
            Double.toString(m.get(k).fraction(0)));
        case "status" -> values.put(k, String.valueOf(m.get(k).integer(503, 100, 599)));
        case "cycles" -> values.put(k, String.valueOf(m.get(k).integer(5, 1, 100)));
        case "bandwidth" -> values.put(k, String.valueOf(m.get(k).integer(0, 1, Integer.MAX_VALUE)));
        case "hang", "blackhole" -> values.put(k, Boolean.toString(m.get(k).bool(false)));
        case "style" -> {
          String s = m.get(k).text();
          if (s != null && !s.equals("http") && !s.equals("aws")) {
            m.problem(k, "'" + s + "' is not a throttling style: use http (429) or aws (400 Throttling)");
          }
          values.put(k, s);
        }
        default -> throw new IllegalStateException(k);
      }
    }
    if (fault.equals("endpoint") && values.isEmpty()) {
      m.problem("an endpoint fault needs at least one of " + ScenarioParser.names(FAULTS.get("endpoint")));
    }
    if (fault.equals("flap")) {
      for (String k : List.of("down", "up")) {
        if (!m.has(k)) {
          m.problem(k, "missing; a flap needs down and up durations (for example down: 3s, up: 2s)");
        }
      }
    }
  }

  private static String ref(YamlNode m, String k, String pattern, String hint) {
    String v = ScenarioParser.required(m, k, "a " + m.get("fault").text() + " needs a target: " + hint);
    if (v != null && !v.matches(pattern)) {
      m.problem(k, "'" + v + "' is not a valid target; expected " + hint);
      return null;
    }
    return v;
  }

  private static List<String> nodes(YamlNode m, String k) {
    List<String> refs = m.get(k).required("missing; expected a list").texts();
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

  private Scenario.Wait waitStep(YamlNode m) {
    Set<String> known = new HashSet<>(CONDITION_FIELDS);
    known.addAll(Set.of("until", "within", "for"));
    unknown(m, known, "wait");
    if (m.has("for") == m.has("until")) {
      m.problem("a wait needs either until: <condition> (with within: <deadline>) or for: <duration>");
      return null;
    }
    if (m.has("for")) {
      return new Scenario.Wait(m.line(), null, null, requiredDuration(m, "for", Duration.ofSeconds(1)));
    }
    Condition c = condition(m, "until");
    Duration within = requiredDuration(m, "within", Duration.ofSeconds(30));
    return c == null ? null : new Scenario.Wait(m.line(), c, within, null);
  }

  private static Duration requiredDuration(YamlNode m, String key, Duration dflt) {
    return ScenarioParser.duration(m.get(key).required("missing; a duration such as 500ms, 30s, 5m"), dflt);
  }

  private Scenario.Assert assertStep(YamlNode m) {
    Set<String> known = new HashSet<>(CONDITION_FIELDS);
    known.add("that");
    unknown(m, known, "assert");
    Condition c = condition(m, "that");
    return c == null ? null : new Scenario.Assert(m.line(), c);
  }

  private static void unknown(YamlNode m, Set<String> known, String what) {
    for (String k : m.keys()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' in a " + what + Spelling.didYouMean(k, known) + "; it takes "
            + ScenarioParser.names(known));
      }
    }
  }

  private static Condition condition(YamlNode m, String key) {
    String kind = ScenarioParser.required(m, key, "a condition: " + ScenarioParser.names(CONDITIONS));
    if (kind == null) {
      return null;
    }
    if (!CONDITIONS.contains(kind)) {
      m.problem(key, "unknown condition '" + kind + "'" + Spelling.didYouMean(kind, CONDITIONS) + "; conditions: "
          + ScenarioParser.names(CONDITIONS));
      return null;
    }
    String region = m.get("region").text();
    String code = m.get("code").text();
    String is = m.get("is").text();
    Integer atMost = m.get("atMost").integer(null, 0, 1000);
    List<String> at = m.get("at").texts();
    for (String r : at) {
      if (!r.matches("[a-z0-9][a-z0-9-]*")) {
        m.problem("at", "'" + r + "' is not a region name (at: lists the regions whose name servers are asked)");
      }
    }
    if (!at.isEmpty() && !kind.equals("served")) {
      m.problem("at", "only a served condition takes at: (the regions whose name servers are asked)");
    }
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
      case "failovers" -> require(m, atMost != null, "atMost", "a failovers condition needs atMost: N (and"
          + " optionally code: an alert, to count only those decided after it was raised)");
      case "local-alert" -> {
        require(m, code != null, "code", "a local-alert condition needs code: (e.g. ControllerMinority)");
        require(m, region != null, "region", "a local-alert condition needs region: (whose controller raises it)");
      }
      case "approval" -> require(m, region != null, "region", "an approval condition needs region: (the decision"
          + " waiting for an operator concerns it)");
      case "resolvers-cut-over" -> require(m, region != null, "region", "resolvers-cut-over needs region:");
      default -> {
        // timeline conditions: region optional
      }
    }
    return new Condition(kind, region, code, is, atMost, at);
  }

  private Scenario.Operator operator(YamlNode m) {
    String command = ScenarioParser.required(m, "command", "one of " + ScenarioParser.names(COMMANDS.keySet())
        + " (for example '- operator: { command: evacuate, region: us-east, steps: [75, 50, 0], hold: 2s }')");
    if (command == null) {
      return null;
    }
    Set<String> params = COMMANDS.get(command);
    if (params == null) {
      m.problem("command", "unknown operator command '" + command + "'"
          + Spelling.didYouMean(command, COMMANDS.keySet()) + "; commands: " + ScenarioParser.names(COMMANDS.keySet()));
      return null;
    }
    Set<String> known = new HashSet<>(Set.of("command", "region", "reason"));
    known.addAll(params);
    for (String k : m.keys()) {
      if (!known.contains(k)) {
        m.problem(k, "unknown field '" + k + "' for operator command " + command + Spelling.didYouMean(k, known)
            + "; it takes " + ScenarioParser.names(known));
      }
    }
    String region = ScenarioParser.required(m, "region", "the region the command is about, e.g. region: us-east");
    if (region != null && !region.matches("[a-z0-9][a-z0-9-]*")) {
      m.problem("region", "'" + region + "' is not a region name");
    }
    List<Integer> steps = new ArrayList<>();
    for (String p : m.get("steps").texts()) {
      try {
        steps.add(Integer.parseInt(p.endsWith("%") ? p.substring(0, p.length() - 1).strip() : p));
      } catch (NumberFormatException e) {
        m.problem("steps", "'" + p + "' is not a whole percentage; steps are percentages of the region's configured"
            + " weight, e.g. [75, 50, 0]");
        steps = null;
        break;
      }
    }
    Duration hold = ScenarioParser.duration(m.get("hold"), null);
    if (steps != null && (!steps.isEmpty() || hold != null)) {
      String problem = io.pharos.core.decision.EvacuationPlan.problem(
          steps.isEmpty() ? io.pharos.core.decision.EvacuationPlan.DEFAULT_STEPS : steps,
          hold == null ? io.pharos.core.decision.EvacuationPlan.DEFAULT_HOLD : hold);
      if (problem != null) {
        m.problem(problem.startsWith("hold") ? "hold" : "steps", problem);
      }
    }
    String reason = m.has("reason") ? m.get("reason").text() : "drill " + top.get("name").text();
    return new Scenario.Operator(m.line(), command, region, steps == null ? List.of() : steps, hold,
        m.get("force").bool(false), reason);
  }

  private static void require(YamlNode m, boolean ok, String field, String message) {
    if (!ok) {
      if (m.has(field)) {
        m.problem(field, message);
      } else {
        m.problem(message);
      }
    }
  }

  private Scenario.Revert revert(YamlNode step) {
    String id = ScenarioParser.required(step, "revert", "the id of an injected fault, or all");
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
