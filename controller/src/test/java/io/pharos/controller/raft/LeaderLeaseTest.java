package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {
  @Test
  void aMajorityOfTheMembersHeardWithinTheLeaseHoldsIt() {
    List<String> three = List.of("c1", "c2", "c3");
    assertThat(LeaderLease.holds(Set.of("c1", "c2"), three, List.of())).isTrue();
    assertThat(LeaderLease.holds(Set.of("c1"), three, List.of())).isFalse();
    assertThat(LeaderLease.holds(Set.of("c1", "c9"), three, List.of())).as("a non-member does not count").isFalse();
  }

  @Test
  void duringAMembershipChangeBothHalvesNeedTheirMajority() {
    List<String> old = List.of("c1", "c2", "c3");
    List<String> next = List.of("c1", "c4", "c5");
    assertThat(LeaderLease.holds(Set.of("c1", "c2", "c4"), next, old)).isTrue();
    assertThat(LeaderLease.holds(Set.of("c1", "c4", "c5"), next, old)).as("the old half unheard").isFalse();
    assertThat(LeaderLease.holds(Set.of("c1", "c2", "c3"), next, old)).as("the new half unheard").isFalse();
  }
}
