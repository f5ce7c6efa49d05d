package io.pharos.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpellingTest {
  @Test
  void suggestsTheClosestKnownWord() {
    assertThat(Spelling.didYouMean("endpoint", Set.of("endpoints", "name"))).isEqualTo(" (did you mean 'endpoints'?)");
    assertThat(Spelling.closest("regoin", Set.of("region", "zone"))).contains("region");
    assertThat(Spelling.closest("WIAT", Set.of("wait", "inject"))).as("case is ignored").contains("wait");
  }

  @Test
  void longWordsMayBeFurtherOffThanShortOnes() {
    assertThat(Spelling.closest("dns-commited-now", List.of("dns-committed-now"))).isPresent();
    assertThat(Spelling.closest("healthcheckintervall", List.of("healthCheckInterval"))).isPresent();
    assertThat(Spelling.closest("abc", List.of("xyz"))).isEmpty();
    assertThat(Spelling.didYouMean("colour", Set.of("name", "steps"))).isEmpty();
  }

  @Test
  void tiesGoToTheFirstInAlphabeticalOrder() {
    assertThat(Spelling.closest("bat", Set.of("cat", "bag", "hat"))).contains("bag");
  }

  @Test
  void editDistance() {
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distance("", "abc")).isEqualTo(3);
    assertThat(Spelling.distance("same", "same")).isZero();
  }
}
