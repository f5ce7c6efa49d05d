package io.pharos.chaos.scenario;

import io.pharos.core.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of a scenario with its path and line numbers: typed getters that record a
 * problem ({@code line 12: steps[1].wait.within: '30 seconds' is not a duration ...}) instead of
 * throwing, unknown keys reported with the closest known one, {@code ${var}} substituted in every
 * scalar.
 */
final class YamlMap {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  final String path;
  final Node node;
  final Map<String, Node> fields = new LinkedHashMap<>();
  private final Map<String, Node> keys = new LinkedHashMap<>();
  private final Ctx ctx;

  /** Shared by every map of one file: the problems found so far and the variables. */
  static final class Ctx {
    final String file;
    final List<String> problems = new ArrayList<>();
    final Map<String, String> vars;

    Ctx(String file, Map<String, String> vars) {
      this.file = file;
      this.vars = vars;
    }

    void problem(Node at, String path, String message) {
      String where = at == null ? "" : "line " + (at.getStartMark().getLine() + 1) + ": ";
      problems.add(file + ": " + where + (path.isEmpty() ? "" : path + ": ") + message);
    }
  }

  YamlMap(Ctx ctx, String path, Node node, Set<String> known) {
    this.ctx = ctx;
    this.path = path;
    this.node = node;
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        if (known != null && !known.contains(k)) {
          ctx.problem(t.getKeyNode(), path, "unknown field '" + k + "'" + suggest(k, known) + "; known: "
              + String.join(", ", known.stream().sorted().toList()));
          continue;
        }
        fields.put(k, t.getValueNode());
        keys.put(k, t.getKeyNode());
      }
    } else if (node != null) {
      ctx.problem(node, path, "expected a mapping (key: value), found " + kind(node));
    }
  }

  int line() {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  boolean has(String k) {
    return fields.containsKey(k);
  }

  String sub(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  void problem(String k, String message) {
    ctx.problem(k == null ? node : fields.getOrDefault(k, node), k == null ? path : sub(k), message);
  }

  /** The scalar's text with variables substituted, or null when absent (reported when required). */
  String string(String k, boolean required, String hint) {
    Node n = fields.get(k);
    if (n == null) {
      if (required) {
        ctx.problem(node, sub(k), "missing" + (hint == null ? "" : "; " + hint));
      }
      return null;
    }
    if (!(n instanceof ScalarNode s)) {
      ctx.problem(n, sub(k), "expected a single value, found " + kind(n));
      return null;
    }
    return substitute(s.getValue(), n, sub(k));
  }

  String string(String k) {
    return string(k, false, null);
  }

  Duration duration(String k, Duration dflt, boolean required) {
    String s = string(k, required, "a duration such as 500ms, 30s, 5m");
    if (s == null) {
      return dflt;
    }
    try {
      Duration d = Durations.parse(s);
      if (d.isZero()) {
        problem(k, "must be longer than 0");
        return dflt;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(k, e.getMessage());
      return dflt;
    }
  }

  double fraction(String k, double dflt) {
    String s = string(k);
    if (s == null) {
      return dflt;
    }
    try {
      double d = s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1).strip()) / 100
          : Double.parseDouble(s);
      if (d < 0 || d > 1) {
        problem(k, "must be between 0 and 1 (or 0 % and 100 %), was " + s);
        return dflt;
      }
      return d;
    } catch (NumberFormatException e) {
      problem(k, "'" + s + "' is not a number between 0 and 1");
      return dflt;
    }
  }

  Integer integer(String k, Integer dflt, int min, int max) {
    String s = string(k);
    if (s == null) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        problem(k, "must be " + min + ".." + max + ", was " + v);
        return dflt;
      }
      return v;
    } catch (NumberFormatException e) {
      problem(k, "'" + s + "' is not a whole number");
      return dflt;
    }
  }

  boolean bool(String k, boolean dflt) {
    String s = string(k);
    if (s == null) {
      return dflt;
    }
    if (!s.equals("true") && !s.equals("false")) {
      problem(k, "expected true or false, was '" + s + "'");
      return dflt;
    }
    return Boolean.parseBoolean(s);
  }

  /** A list of scalars; a single scalar counts as a list of one. */
  List<String> strings(String k, boolean required) {
    Node n = fields.get(k);
    List<String> out = new ArrayList<>();
    if (n == null) {
      if (required) {
        ctx.problem(node, sub(k), "missing; expected a list");
      }
      return out;
    }
    if (n instanceof ScalarNode s) {
      out.add(substitute(s.getValue(), n, sub(k)));
      return out;
    }
    if (!(n instanceof SequenceNode seq)) {
      ctx.problem(n, sub(k), "expected a list, found " + kind(n));
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      if (item instanceof ScalarNode s) {
        out.add(substitute(s.getValue(), item, sub(k) + "[" + i + "]"));
      } else {
        ctx.problem(item, sub(k) + "[" + i + "]", "expected a single value, found " + kind(item));
      }
    }
    return out;
  }

  /** A child mapping (empty when absent). */
  YamlMap child(String k, Set<String> known) {
    return new YamlMap(ctx, sub(k), fields.get(k), known);
  }

  /** The items of a list of mappings or scalars, each with its path. */
  List<Node> items(String k) {
    Node n = fields.get(k);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode seq)) {
      ctx.problem(n, sub(k), "expected a list, found " + kind(n));
      return List.of();
    }
    return seq.getValue();
  }

  Ctx ctx() {
    return ctx;
  }

  private String substitute(String value, Node at, String where) {
    Matcher m = VAR.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = ctx.vars.get(m.group(1));
      if (v == null) {
        ctx.problem(at, where, "unknown variable ${" + m.group(1) + "}; define it under vars: or pass --set "
            + m.group(1) + "=...");
        v = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static String kind(Node n) {
    return n instanceof MappingNode ? "a mapping" : n instanceof SequenceNode ? "a list" : "a value";
  }

  /** ", did you mean 'x'?" for the closest known word within two edits, else "". */
  static String suggest(String word, Set<String> known) {
    String best = null;
    int bestD = 3;
    for (String k : known) {
      int d = distance(word.toLowerCase(), k.toLowerCase());
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
