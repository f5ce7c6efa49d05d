package io.pharos.core.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML document read for validation: a tree of {@link YamlNode}s that know their field path
 * and source line, and every problem found while reading them, so that one attempt shows
 * everything to fix instead of the first mistake.
 *
 * <p>The text is composed into nodes, never constructed into objects: tags cannot instantiate
 * classes, and values are typed by the getter that reads them ({@code interval} as a duration,
 * {@code status} as a whole number), not by how YAML 1.1 would guess them. Aliases resolve to
 * their anchor (a problem points at the anchor's line), merge keys ({@code <<: *defaults}) are
 * applied with the mapping's own keys taking precedence, and a second document in the text is a
 * syntax error rather than silently ignored. A key written twice in one mapping takes its last
 * value, as in other YAML loaders (tests and generated configs append a key to override it).
 */
public final class YamlDocument {
  /**
   * Rewrites the text of every scalar a getter reads, e.g. to substitute {@code ${var}}; may report
   * problems at {@code at}.
   */
  @FunctionalInterface
  public interface ScalarFilter {
    String apply(String text, YamlNode at);
  }

  private final Node root;
  private final List<YamlProblem> problems = new ArrayList<>();
  private final Map<MappingNode, Mapping> mappings = new IdentityHashMap<>();
  private final Set<MappingNode> building = Collections.newSetFromMap(new IdentityHashMap<>());

  private YamlDocument(Node root) {
    this.root = root;
  }

  /** Parses one document; throws {@link YamlSyntaxException} (with line and column) when the text is not YAML. */
  public static YamlDocument parse(String text) {
    try {
      return new YamlDocument(new Yaml(new LoaderOptions()).compose(new StringReader(text)));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getContext() == null ? e.getProblem() : e.getContext() + ", " + e.getProblem();
      throw new YamlSyntaxException(m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, problem);
    } catch (YAMLException e) {
      // limits (aliases, nesting depth, size) and reader errors carry no position
      throw new YamlSyntaxException(0, 0, e.getMessage());
    }
  }

  /** True when the text holds no value at all: empty, only comments, or a lone null. */
  public boolean isEmpty() {
    return !root().isPresent();
  }

  /** The top-level node, path "". */
  public YamlNode root() {
    return root(null);
  }

  /** The top-level node, with {@code filter} applied to every scalar read through it or its children. */
  public YamlNode root(ScalarFilter filter) {
    return new YamlNode(this, root, "", root == null ? 0 : YamlNode.lineOf(root), filter);
  }

  /** Every problem reported so far, in the order found, each once. */
  public List<YamlProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  void report(YamlProblem p) {
    if (!problems.contains(p)) {
      problems.add(p);
    }
  }

  /** A key of a mapping with the nodes it was read from. */
  record Entry(String key, Node keyNode, Node value) {}

  /**
   * The entries of a mapping, merges applied, with the keys that are not text (reported by
   * {@link YamlNode#mapping}, where the caller's path is known).
   */
  record Mapping(Map<String, Entry> entries, List<Node> badKeys) {}

  private static final Mapping NO_ENTRIES = new Mapping(Map.of(), List.of());

  Mapping mapping(MappingNode m) {
    Mapping cached = mappings.get(m);
    if (cached != null) {
      return cached;
    }
    if (!building.add(m)) {
      return NO_ENTRIES; // a merge that leads back to a mapping being built adds nothing
    }
    try {
      Map<String, Entry> entries = new LinkedHashMap<>();
      List<Node> badKeys = new ArrayList<>();
      List<MappingNode> merged = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        Node k = t.getKeyNode();
        if (Tag.MERGE.equals(k.getTag()) && mergeSources(t.getValueNode(), merged)) {
          continue;
        }
        if (!(k instanceof ScalarNode s)) {
          badKeys.add(k);
          continue;
        }
        Entry e = new Entry(s.getValue(), k, t.getValueNode());
        entries.put(e.key(), e); // a repeated key: the last one counts
      }
      for (MappingNode source : merged) {
        mapping(source).entries().values().forEach(e -> entries.putIfAbsent(e.key(), e));
      }
      Mapping result = new Mapping(entries, badKeys);
      mappings.put(m, result);
      return result;
    } finally {
      building.remove(m);
    }
  }

  /**
   * Adds the mappings a merge key names; false (then "<<" is a plain key) when its value is not a
   * mapping or a list of them.
   */
  private static boolean mergeSources(Node value, List<MappingNode> into) {
    if (value instanceof MappingNode mm) {
      into.add(mm);
      return true;
    }
    if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
      seq.getValue().forEach(n -> into.add((MappingNode) n));
      return true;
    }
    return false;
  }
}
