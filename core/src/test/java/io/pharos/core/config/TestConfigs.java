package io.pharos.core.config;

import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Core's own test fixture: the loader's three-region config, with a master secret that is clearly
 * not a real secret (region keys derive from it). The other modules' tests use
 * {@code io.pharos.testkit.config.TestConfigs}; this one stays in core because testkit depends on
 * core, so core's tests cannot depend on testkit.
 */
public final class TestConfigs {
  /** Test-only master secret, not a secret. */
  public static final String TEST_MASTER_SECRET = "test-only-master-secret-not-a-secret-0001";
  public static final MasterSecret MASTER = MasterSecret.of(TEST_MASTER_SECRET);
  public static final Map<String, String> ENV = Map.of("PHAROS_MASTER_SECRET", TEST_MASTER_SECRET);

  private TestConfigs() {}

  /** Region {@code region}'s test key, generation 1. */
  public static RegionKey regionKey(String region) {
    return MASTER.regionKey(region, 1);
  }

  public static String threeRegionsYaml() {
    try (InputStream in = TestConfigs.class.getResourceAsStream("/three-regions.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PharosConfig threeRegions() {
    return ConfigLoader.parse(threeRegionsYaml(), ENV);
  }

  /** The fixture with one text replacement applied (which must match). */
  public static PharosConfig threeRegionsWith(String from, String to) {
    String yaml = threeRegionsYaml();
    if (!yaml.contains(from)) {
      throw new IllegalArgumentException("fixture does not contain: " + from);
    }
    return ConfigLoader.parse(yaml.replace(from, to), ENV);
  }

  /** The fixture with text replacements applied in pairs (from, to; each must match). */
  public static PharosConfig threeRegionsYamlWith(String... fromTo) {
    String yaml = threeRegionsYaml();
    for (int i = 0; i < fromTo.length; i += 2) {
      if (!yaml.contains(fromTo[i])) {
        throw new IllegalArgumentException("fixture does not contain: " + fromTo[i]);
      }
      yaml = yaml.replace(fromTo[i], fromTo[i + 1]);
    }
    return ConfigLoader.parse(yaml, ENV);
  }
}
