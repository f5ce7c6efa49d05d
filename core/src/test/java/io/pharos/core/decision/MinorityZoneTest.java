package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MinorityZoneTest {
  private static final ZoneState COMMITTED = new ZoneState(Map.of(
      "app.example.test", Map.of("a", 50, "b", 30, "c", 20),
      "api.example.test", Map.of("a", 100, "b", 0)), new FencingToken(3, 40), 7);

  @Test
  void nothingSeenFailingServesTheCommittedZone() {
    assertThat(MinorityZone.serve(COMMITTED, "a", Set.of())).isSameAs(COMMITTED);
  }

  @Test
  void theCutRegionsOwnDeadAppIsRemovedFirstAndNothingIsAdded() {
    // a is cut off with its app dead: its agents see a and, through the cut, b and c failing
    ZoneState served = MinorityZone.serve(COMMITTED, "a", Set.of("a", "b", "c"));
    assertThat(served.weights().get("app.example.test")).containsEntry("a", 0)
        .as("the last serving region is never removed").containsEntry("b", 0).containsEntry("c", 20);
    assertThat(served.weights().get("api.example.test")).as("b was out already and is not added back")
        .containsEntry("a", 100).containsEntry("b", 0);
    assertThat(served.token()).isEqualTo(COMMITTED.token());
  }

  @Test
  void aCutRegionWhoseAppServesKeepsItself() {
    // a is cut off, its app serves; its agents see b and c failing through the cut
    ZoneState served = MinorityZone.serve(COMMITTED, "a", Set.of("b", "c"));
    assertThat(served.weights().get("app.example.test")).containsEntry("a", 50).containsEntry("b", 0)
        .containsEntry("c", 0);
  }

  @Test
  void aRecordThatServesOnlyTheFailingRegionKeepsIt() {
    ZoneState served = MinorityZone.serve(COMMITTED, "b", Set.of("a"));
    assertThat(served.weights().get("api.example.test")).containsEntry("a", 100);
    assertThat(served.weights().get("app.example.test")).containsEntry("a", 0).containsEntry("b", 30);
  }
}
