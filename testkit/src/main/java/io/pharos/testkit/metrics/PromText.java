package io.pharos.testkit.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The samples of a Prometheus text exposition (version 0.0.4), parsed strictly enough for tests:
 * a line that is neither a comment nor {@code name{labels} value} fails the parse with the line.
 */
public final class PromText {
  /** One sample: a series' name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.get(key);
    }
  }

  private final List<Sample> samples;

  private PromText(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  public static PromText parse(String text) {
    List<Sample> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(sample(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + n + " is not a sample: '" + line + "' (" + e.getMessage() + ")", e);
      }
    }
    return new PromText(out);
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int end = line.lastIndexOf('}');
      String body = line.substring(brace + 1, end);
      int i = 0;
      while (i < body.length()) {
        int eq = body.indexOf('=', i);
        String key = body.substring(i, eq).trim();
        StringBuilder v = new StringBuilder();
        int j = eq + 2; // past ="
        while (body.charAt(j) != '"') {
          char c = body.charAt(j);
          if (c == '\\') {
            j++;
            c = body.charAt(j) == 'n' ? '\n' : body.charAt(j);
          }
          v.append(c);
          j++;
        }
        labels.put(key, v.toString());
        i = j + 1;
        if (i < body.length() && body.charAt(i) == ',') {
          i++;
        }
      }
    } else {
      name = line.substring(0, space);
    }
    String value = line.substring(space + 1).trim();
    double d = switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
    return new Sample(name, Map.copyOf(labels), d);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Every series name present. */
  public Set<String> names() {
    Set<String> out = new TreeSet<>();
    samples.forEach(s -> out.add(s.name()));
    return out;
  }

  /** The samples named {@code name} whose labels include every pair of {@code labels} (key, value, ...). */
  public List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labels)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The one sample matching, if any; more than one fails. */
  public Optional<Double> value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples match " + name + " " + List.of(labels) + ": " + found);
    }
    return found.stream().findFirst().map(Sample::value);
  }

  private static boolean matches(Sample s, String[] labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
