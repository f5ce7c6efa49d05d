package io.pharos.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.chaos.scenario.ScenarioLibrary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private static String render(boolean tty) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ConsoleProgress p = new ConsoleProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), tty);
    var s = ScenarioLibrary.load("hard-region-loss", Map.of());
    p.started(s, "test environment");
    p.step(0, s.steps().size(), s.steps().get(0).describe());
    p.line("FAULT in: loss");
    p.tick(1234);
    p.step(1, s.steps().size(), s.steps().get(1).describe());
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainLinesWhenNotATerminal() {
    String out = render(false);
    assertThat(out).contains("drill hard-region-loss: Hard loss of a region").contains("step 1/8: inject loss")
        .contains("FAULT in: loss").doesNotContain("\r").doesNotContain("\033[");
  }

  @Test
  void aProgressBarOnATerminal() {
    String out = render(true);
    assertThat(out).contains("step 2/8: wait until dns-committed").contains("\r");
  }
}
