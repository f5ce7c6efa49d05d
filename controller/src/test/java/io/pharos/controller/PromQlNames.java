package io.pharos.controller;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found without a PromQL parser (no promtool here):
 * strings, label matchers, range and subquery brackets, grouping lists and Grafana variables are
 * removed; what is left that is an identifier, not followed by an opening parenthesis (a
 * function), and not a keyword or aggregation operator, is a metric name. Good enough for the
 * expressions we write; a name it cannot see is one it does not check, so the tests also assert
 * that known names were found.
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "and", "or", "unless", "bool", "offset", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev", "stdvar",
      "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*|[0-9][A-Za-z0-9_.]*");
  /** Grafana's {@code label_values(metric, label)}: only the metric is a name. */
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)[^)]*\\)");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher lv = LABEL_VALUES.matcher(expr);
    if (lv.find()) {
      out.add(lv.group(1));
      return out;
    }
    String s = STRING.matcher(expr).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = VARIABLE.matcher(s).replaceAll(" ");
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      String t = m.group();
      if (Character.isDigit(t.charAt(0)) || KEYWORDS.contains(t.toLowerCase())) {
        continue;
      }
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      if (next < s.length() && s.charAt(next) == '(') {
        continue; // a function
      }
      out.add(t);
    }
    return out;
  }
}
