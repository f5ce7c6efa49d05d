package io.pharos.core.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A value of a {@link YamlDocument} that knows its field path ({@code regions[1].endpoints[0].url})
 * and source line. A key that is not written gives an absent node, with the path it would have and
 * the line of the mapping that lacks it, so "is required" can point somewhere.
 *
 * <p>Getters never throw on bad input: they report a {@link YamlProblem} to the document and
 * return the default, so reading carries on and every problem is found in one pass. Scalars are
 * typed by the getter that reads them: {@code status: "200"} and {@code status: 200} are the same
 * number, {@code name: 123} is the text "123".
 */
public final class YamlNode {
  private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9][0-9_]*");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F][0-9a-fA-F_]*");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Set<String> TRUE = Set.of("true", "yes", "on");
  private static final Set<String> FALSE = Set.of("false", "no", "off");

  private final YamlDocument doc;
  private final Node node;
  private final String path;
  private final int line;
  private final YamlDocument.ScalarFilter filter;

  YamlNode(YamlDocument doc, Node node, String path, int line, YamlDocument.ScalarFilter filter) {
    this.doc = doc;
    this.node = node;
    this.path = path;
    this.line = line;
    this.filter = filter;
  }

  static int lineOf(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  /** The field path: {@code regions[1].endpoints[0].url}; "" for the document itself. */
  public String path() {
    return path;
  }

  /**
   * 1-based line where the value is written (its key's line, or the item's for a list item). For a
   * key that is not written, the line of the mapping that lacks it; 0 at the top level.
   */
  public int line() {
    return line;
  }

  /** {@code regions[1].url (line 12)}, to name this value inside another problem's message. */
  public String where() {
    return line > 0 ? (path.isEmpty() ? "line " + line : path + " (line " + line + ")") : path;
  }

  /** Written and not null ({@code key:}, {@code key: ~} and {@code key: null} count as not written). */
  public boolean isPresent() {
    return node != null && !(node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  public boolean isList() {
    return node instanceof SequenceNode;
  }

  public boolean isScalar() {
    return isPresent() && node instanceof ScalarNode;
  }

  /** For messages: "a mapping", "a list", the quoted text of a scalar, or "nothing". */
  public String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isPresent() ? "'" + ((ScalarNode) node).getValue() + "'" : "nothing";
  }

  // ---- structure

  /** The value under {@code key} (the last one if the key is repeated); an absent node when there is none. */
  public YamlNode get(String key) {
    if (node instanceof MappingNode m) {
      YamlDocument.Entry e = doc.mapping(m).entries().get(key);
      if (e != null) {
        return new YamlNode(doc, e.value(), sub(key), lineOf(e.keyNode()), filter);
      }
    }
    // a key missing from the document's top level has no line worth naming: "line 1" would only be noise
    return new YamlNode(doc, null, sub(key), path.isEmpty() ? 0 : line, filter);
  }

  /** True when {@code key} is written with a non-null value. */
  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** The keys of a mapping in file order (merged keys after the mapping's own); empty for anything else. */
  public List<String> keys() {
    return node instanceof MappingNode m ? List.copyOf(doc.mapping(m).entries().keySet()) : List.of();
  }

  /** {@link #mapping(Collection)} without checking the keys: for mappings whose keys are names (regions, proxies). */
  public YamlNode mapping() {
    return mapping(null);
  }

  /**
   * Checks that this is a mapping (or absent) and reports keys that are not text and every key not in
   * {@code known}, with the closest known one. Returns this node, or an absent one in its place
   * when it is not a mapping, so that reading on yields defaults instead of more problems.
   */
  public YamlNode mapping(Collection<String> known) {
    if (!isPresent()) {
      return this;
    }
    if (!(node instanceof MappingNode m)) {
      problem("expected a mapping (key: value), found " + describe());
      return absent();
    }
    YamlDocument.Mapping mapping = doc.mapping(m);
    for (Node k : mapping.badKeys()) {
      doc.report(new YamlProblem(path, lineOf(k), "a key must be a single value, found "
          + (k instanceof MappingNode ? "a mapping" : "a list")));
    }
    if (known != null) {
      for (YamlDocument.Entry e : mapping.entries().values()) {
        if (!known.contains(e.key())) {
          String hint = Spelling.didYouMean(e.key(), known);
          if (hint.isEmpty() && !known.isEmpty()) {
            hint = "; expected one of: " + String.join(", ", new TreeSet<>(known));
          }
          doc.report(new YamlProblem(sub(e.key()), lineOf(e.keyNode()), "unknown field" + hint));
        }
      }
    }
    return this;
  }

  /** The items of a list, each with its path ({@code endpoints[0]}); empty when absent, a problem when not a list. */
  public List<YamlNode> items() {
    if (!isPresent()) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      problem("expected a list, found " + describe());
      return List.of();
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      out.add(new YamlNode(doc, item, path + "[" + i + "]", lineOf(item), filter));
    }
    return out;
  }

  /** The items of a list that must be written and not be empty; each miss is reported. */
  public List<YamlNode> requiredItems() {
    if (!isPresent()) {
      problem("is required (a list)");
    } else if (isList() && ((SequenceNode) node).getValue().isEmpty()) {
      problem("must not be empty");
    }
    return items();
  }

  /** Reports {@code message} when this value is not written; returns this node either way. */
  public YamlNode required(String message) {
    if (!isPresent()) {
      problem(message);
    }
    return this;
  }

  // ---- problems

  /** Reports a problem with this value. */
  public void problem(String message) {
    doc.report(new YamlProblem(path, line, message));
  }

  /** Reports a problem with the value under {@code key} (at this mapping's line when the key is not written). */
  public void problem(String key, String message) {
    get(key).problem(message);
  }

  // ---- values: each returns the default (and reports why) when the value is absent or unusable

  /** The scalar's text (filtered), or null when absent. */
  public String text() {
    return text(null);
  }

  public String text(String dflt) {
    if (!isPresent()) {
      return dflt;
    }
    if (!(node instanceof ScalarNode s)) {
      problem("expected a single value, found " + describe());
      return dflt;
    }
    return filter == null ? s.getValue() : filter.apply(s.getValue(), this);
  }

  /** A whole number in {@code min..max}: {@code 3}, {@code -1}, {@code 10_000}, {@code 0x1F}. */
  public Integer integer(Integer dflt, int min, int max) {
    String s = text(null);
    if (s == null) {
      return dflt;
    }
    String t = s.strip();
    BigInteger n = WHOLE.matcher(t).matches() ? new BigInteger(t.replace("_", ""))
        : HEX.matcher(t).matches() ? new BigInteger(t.substring(2).replace("_", ""), 16) : null;
    if (n == null) {
      problem("expected a whole number, found '" + s + "'");
      return dflt;
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      problem("must be between " + min + " and " + max + ", was " + n);
      return dflt;
    }
    return n.intValue();
  }

  /** {@code true} or {@code false} (also yes/no, on/off), in any case. */
  public boolean bool(boolean dflt) {
    String s = text(null);
    if (s == null) {
      return dflt;
    }
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(t) || FALSE.contains(t)) {
      return TRUE.contains(t);
    }
    problem("expected true or false, found '" + s + "'");
    return dflt;
  }

  /** A number from 0 to 1, written as such ({@code 0.25}) or as a percentage ({@code 25%}). */
  public double fraction(double dflt) {
    String s = text(null);
    if (s == null) {
      return dflt;
    }
    String t = s.strip();
    boolean percent = t.endsWith("%");
    if (percent) {
      t = t.substring(0, t.length() - 1).strip();
    }
    if (!DECIMAL.matcher(t).matches()) {
      problem("'" + s + "' is not a number between 0 and 1 (or a percentage such as 25%)");
      return dflt;
    }
    double d = Double.parseDouble(t) / (percent ? 100 : 1);
    if (!(d >= 0 && d <= 1)) {
      problem("must be between 0 and 1 (or 0% and 100%), was " + s);
      return dflt;
    }
    return d;
  }

  /** One of the constants of {@code type}, written in any case. */
  public <E extends Enum<E>> E enumValue(Class<E> type, E dflt) {
    String s = text(null);
    if (s == null) {
      return dflt;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.strip())) {
        return e;
      }
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    problem("'" + s + "' is not one of " + String.join(", ", names) + Spelling.didYouMean(s, names));
    return dflt;
  }

  /**
   * The scalar converted by {@code parse} ({@code Durations::parse}, {@code HostPort::parse});
   * an {@link IllegalArgumentException} it throws becomes a problem with its message.
   */
  public <T> T value(Function<String, T> parse, T dflt) {
    String s = text(null);
    if (s == null) {
      return dflt;
    }
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return dflt;
    }
  }

  /** A list of scalars; a single scalar counts as a list of one, an absent value as an empty list. */
  public List<String> texts() {
    List<String> out = new ArrayList<>();
    if (!isPresent()) {
      return out;
    }
    if (node instanceof ScalarNode) {
      out.add(text());
      return out;
    }
    for (YamlNode item : items()) {
      String s = item.required("expected a value, found nothing").text();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private YamlNode absent() {
    return new YamlNode(doc, null, path, line, filter);
  }

  private String sub(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  @Override
  public String toString() {
    return where() + " = " + describe();
  }
}
