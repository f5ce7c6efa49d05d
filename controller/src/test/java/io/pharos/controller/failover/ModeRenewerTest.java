package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeRenewerTest {
  @TempDir
  Path dir;
  FailoverFixture f;

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  @Test
  void renewsOnlyWhileTheActingLeader() {
    f = new FailoverFixture(dir);
    f.renewer.renew();
    assertThat(f.modes.published).as("a follower").isEmpty();
    f.journal.becomeLeader();
    f.renewer.renew();
    assertThat(f.modes.published).hasSize(1);
    assertThat(f.modes.published.get(0)).isSameAs(f.journal.state());
    f.journal.loseLease();
    f.renewer.renew();
    assertThat(f.modes.published).as("a leader without its lease").hasSize(1);
    f.journal.regainLease();
    f.renewer.renew();
    f.journal.deposedBy("c2");
    f.renewer.renew();
    assertThat(f.modes.published).hasSize(2);
    // renewals are logged once per term; what fences a decision always
    f.journal.becomeLeader();
    f.renewer.renew();
    f.renewer.renew();
    assertThat(f.actionLog()).extracting(a -> a.path("term").asLong()).containsExactly(1L, 3L);
  }

  @Test
  void aNewerTokenInTheStoreStopsTheRenewalAndIsCountedNotThrown() {
    f = new FailoverFixture(dir);
    f.journal.becomeLeader();
    f.modes.failWith = new ModeStore.StaleLeaderException("mode of b holds token 7:40, newer than 0:0");
    f.renewer.renew();
    assertThat(f.modes.published).isEmpty();
    assertThat(f.metrics.errors().counted("modes.stale-leader")).isEqualTo(1);
    assertThat(f.actionLog()).singleElement().satisfies(a -> assertThat(a.path("outcome").asText())
        .isEqualTo("stale: mode of b holds token 7:40, newer than 0:0"));
    f.modes.failWith = null;
    f.renewer.renew();
    assertThat(f.modes.published).as("tried again while still the acting leader").hasSize(1);
  }

  @Test
  void aDataPlaneFailureIsCountedAndRetriedAndAFencingPublishRethrowsIt() {
    f = new FailoverFixture(dir);
    f.journal.becomeLeader();
    f.modes.failWith = new ModeStore.DataPlaneException("the mode map did not answer", null);
    f.renewer.renew();
    assertThat(f.metrics.errors().counted("modes.renew")).isEqualTo(1);
    assertThatThrownBy(() -> f.renewer.publish(f.journal.state(), "d1", 1))
        .isInstanceOf(ModeStore.DataPlaneException.class);
    assertThat(f.actionLog()).extracting(a -> a.path("decisionId").asText(null) + " " + a.path("outcome").asText())
        .containsExactly("null failed: the mode map did not answer", "d1 failed: the mode map did not answer");
  }
}
