package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config under examples/ must load: they are what users copy. */
class ExamplesTest {
  @Test
  void everyExampleConfigIsValid() throws Exception {
    Path dir = Path.of("..", "examples");
    try (Stream<Path> files = Files.list(dir)) {
      var yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).isNotEmpty();
      for (Path p : yamls) {
        PharosConfig c = ConfigLoader.parse(Files.readString(p), TestConfigs.ENV);
        assertThat(c.regions()).as(p.toString()).hasSizeGreaterThanOrEqualTo(2);
      }
    }
  }
}
