package io.pharos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.pharos.core.security.Ed25519;
import io.pharos.testkit.config.TestConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart deploy/helm/pharos rendered by helm-java's bundled helm (no cluster, no network), with value sets
 * from src/test/resources/values layered in order, as {@code helm template -f a.yaml -f b.yaml} does.
 */
final class Chart {
  static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("helm/pharos").toAbsolutePath();
  static final Path VALUES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/values")
      .toAbsolutePath();
  static final String PUBLIC_KEY = Ed25519.base64(TestConfigs.CONTROLLER_KEYS.getPublic());
  private static final ObjectMapper YAML = new YAMLMapper();

  private Chart() {}

  /** The objects {@code helm template} renders with these value sets and {@code --set} pairs. */
  static Manifests render(List<String> valueSets, Map<String, Object> set) {
    TemplateCommand t = new Helm(DIR).template().withName("pharos").withNamespace("pharos").withKubeVersion("1.30.0");
    for (String v : valueSets) {
      t = t.withValuesFile(VALUES.resolve(v + ".yaml"));
    }
    t = t.set("security.controllerPublicKey", PUBLIC_KEY);
    for (Map.Entry<String, Object> e : set.entrySet()) {
      t = t.set(e.getKey(), e.getValue());
    }
    return Manifests.parse(t.call());
  }

  static Manifests render(String... valueSets) {
    return render(List.of(valueSets), Map.of());
  }

  /**
   * {@code helm lint} of a copy of the chart whose values.yaml is the chart's own followed by these value sets
   * (helm-java's lint takes no values files, so the copy carries them).
   */
  static LintResult lint(Path tmp, String... valueSets) {
    Path copy = tmp.resolve("pharos");
    try {
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path to = copy.resolve(DIR.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      JsonNode merged = YAML.readTree(DIR.resolve("values.yaml").toFile());
      for (String v : valueSets) {
        merged = merge(merged, YAML.readTree(VALUES.resolve(v + ".yaml").toFile()));
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) merged.path("security")).put("controllerPublicKey", PUBLIC_KEY);
      Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(merged));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Helm(copy).lint().strict().call();
  }

  /** Helm's merge of values: maps merge key by key, a null deletes, everything else replaces. */
  private static JsonNode merge(JsonNode base, JsonNode over) {
    if (!base.isObject() || !over.isObject()) {
      return over;
    }
    var out = ((com.fasterxml.jackson.databind.node.ObjectNode) base).deepCopy();
    over.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), out.has(e.getKey()) ? merge(out.get(e.getKey()), e.getValue()) : e.getValue());
      }
    });
    return out;
  }

  /** The rendered objects, parsed. */
  record Manifests(List<JsonNode> objects) {
    static Manifests parse(String yaml) {
      List<JsonNode> out = new ArrayList<>();
      try (var parser = new YAMLFactory().createParser(yaml)) {
        var docs = YAML.readValues(parser, JsonNode.class);
        while (docs.hasNext()) {
          JsonNode n = docs.next();
          if (n != null && n.isObject() && n.has("kind")) {
            out.add(n);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("helm rendered YAML that does not parse", e);
      }
      return new Manifests(List.copyOf(out));
    }

    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
      return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
          && o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    JsonNode get(String kind, String name) {
      return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among "
          + objects.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
              .toList()));
    }

    /** A YAML document held in a ConfigMap's data key, parsed. */
    String configFile(String key) {
      return get("ConfigMap", "pharos-config").path("data").path(key).asText();
    }
  }
}
