package io.pharos.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one YAML mapping field by field, recording every problem with its full path instead of
 * stopping at the first, so that one start-up attempt shows everything to fix.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final List<String> problems;

  private Fields(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** A mapping at {@code path}; reports a non-mapping value and every field not in {@code known}. */
  static Fields of(JsonNode node, String path, List<String> problems, Set<String> known) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new Fields(null, path, problems);
    }
    if (!node.isObject()) {
      problems.add(label(path) + "expected a mapping (key: value), found " + describe(node));
      return new Fields(null, path, problems);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        String hint = closest(name, known);
        problems.add(sub(path, name) + ": unknown field" + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
    return new Fields(node, path, problems);
  }

  String path() {
    return path;
  }

  String path(String field) {
    return sub(path, field);
  }

  boolean has(String field) {
    return node != null && node.hasNonNull(field);
  }

  JsonNode raw(String field) {
    return node == null ? null : node.get(field);
  }

  void problem(String field, String message) {
    problems.add((field == null ? label(path) : sub(path, field) + ": ") + message);
  }

  Fields child(String field, Set<String> known) {
    return of(raw(field), sub(path, field), problems, known);
  }

  /** Required string: null and a problem when missing. */
  String requiredString(String field) {
    if (!has(field)) {
      problem(field, "is required");
      return null;
    }
    return string(field, null);
  }

  String string(String field, String dflt) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isValueNode() || v.isBinary()) {
      problem(field, "expected a text value, found " + describe(v));
      return dflt;
    }
    return v.asText();
  }

  boolean bool(String field, boolean dflt) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problem(field, "expected true or false, found " + describe(v));
      return dflt;
    }
    return v.booleanValue();
  }

  int integer(String field, int dflt, int min, int max) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber()) {
      problem(field, "expected a whole number, found " + describe(v));
      return dflt;
    }
    long n = v.longValue();
    if (n < min || n > max) {
      problem(field, "must be between " + min + " and " + max + ", was " + n);
      return dflt;
    }
    return (int) n;
  }

  double fraction(String field, double dflt) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      problem(field, "expected a number between 0 and 1, found " + describe(v));
      return dflt;
    }
    double d = v.doubleValue();
    if (!(d > 0 && d <= 1)) {
      problem(field, "must be greater than 0 and at most 1, was " + d);
      return dflt;
    }
    return d;
  }

  Duration duration(String field, Duration dflt) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      problem(field, "expected a duration such as 500ms, 1s or 5m, found " + describe(v));
      return dflt;
    }
    try {
      Duration d = Durations.parse(v.asText());
      if (d.isZero()) {
        problem(field, "must be greater than 0");
        return dflt;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(field, e.getMessage());
      return dflt;
    }
  }

  HostPort hostPort(String field, boolean required) {
    if (!has(field)) {
      if (required) {
        problem(field, "is required (host:port)");
      }
      return null;
    }
    try {
      return HostPort.parse(string(field, null));
    } catch (IllegalArgumentException e) {
      problem(field, e.getMessage());
      return null;
    }
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type, E dflt) {
    String s = string(field, null);
    if (s == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase());
    }
    problem(field, "'" + s + "' is not one of " + String.join(", ", names));
    return dflt;
  }

  /** A required, non-empty list of mappings. */
  List<Fields> objects(String field, Set<String> known, boolean required) {
    JsonNode v = raw(field);
    List<Fields> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      if (required) {
        problem(field, "is required (a list)");
      }
      return out;
    }
    if (!v.isArray()) {
      problem(field, "expected a list, found " + describe(v));
      return out;
    }
    if (v.isEmpty() && required) {
      problem(field, "must not be empty");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(of(v.get(i), sub(path, field) + "[" + i + "]", problems, known));
    }
    return out;
  }

  List<String> strings(JsonNode v, String at) {
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      problems.add(at + ": expected a list of text values, found " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isValueNode()) {
        problems.add(at + "[" + i + "]: expected a text value, found " + describe(e));
      } else {
        out.add(e.asText());
      }
    }
    return out;
  }

  /** A mapping of name to value, in file order; values converted by {@code read}. */
  <T> Map<String, T> map(String field, Function<JsonNode, T> read, String expected) {
    JsonNode v = raw(field);
    Map<String, T> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problem(field, "expected a mapping, found " + describe(v));
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      T t = read.apply(e.getValue());
      if (t == null) {
        problems.add(sub(path, field) + "." + e.getKey() + ": expected " + expected + ", found "
            + describe(e.getValue()));
      } else {
        out.put(e.getKey(), t);
      }
    }
    return out;
  }

  private static String label(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  private static String sub(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    return v.toString();
  }

  /** The known name closest to a typo, or null when none is close. */
  static String closest(String name, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(name.toLowerCase(), k.toLowerCase());
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
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
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
