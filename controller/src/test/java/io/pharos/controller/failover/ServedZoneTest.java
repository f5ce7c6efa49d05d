package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.decision.Step;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionState;
import io.pharos.core.health.Verdict;
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the embedded name server answers from, as the group's state changes (DESIGN.md: a cut-off name server only ever removes). */
class ServedZoneTest {
  private final ControlState initial = ControlState.initial(TestConfigs.threeRegions());
  private final InMemoryJournal journal = new InMemoryJournal(initial, "c1", 2);
  private final ServedZone zone = new ServedZone(journal, "a");

  /** A step in which region a's agents see {@code failing} failing (a's own region included). */
  private static Step seenBy(String vantage, List<String> failing) {
    Map<String, QuorumVerdict> verdicts = new LinkedHashMap<>();
    for (String r : List.of("a", "b", "c")) {
      boolean own = r.equals(vantage);
      List<String> voters = !own && failing.contains(r) ? List.of(vantage) : List.of();
      verdicts.put(r, new QuorumVerdict(r, 2, 2, voters, List.of(), List.of(), List.of(), List.of(), false, 0,
          voters, 0, own && failing.contains(r) ? Verdict.FAILING : Verdict.UP, QuorumVerdict.Evidence.NONE));
    }
    Map<String, RegionState> health = new LinkedHashMap<>();
    verdicts.keySet().forEach(r -> health.put(r, RegionState.HEALTHY));
    return new Step(0, verdicts, health, List.of(), List.of(), null, null, null);
  }

  @Test
  void nothingIsServedBeforeTheReplicaHasCaughtUpAndNeverAgainAfter() {
    zone.refresh();
    assertThat(zone.get()).as("SERVFAIL before it has ever caught up").isNull();
    journal.deposedBy("c2");
    zone.refresh();
    assertThat(zone.get()).isEqualTo(initial.zone());
    journal.loseLeader();
    zone.refresh();
    assertThat(zone.get()).as("cut off later: still the last committed zone").isNotNull();
  }

  @Test
  void withoutAMajorityItOnlyRemovesWhatItsOwnAgentsSeeFailingNeverTheLastRegion() {
    journal.deposedBy("c2");
    zone.refresh();
    journal.loseLeader();
    zone.onStep(seenBy("a", List.of("b", "c")));
    zone.refresh();
    assertThat(zone.get().weights().get("app.pharos.test")).as("a's app serves: a keeps itself")
        .hasEntrySatisfying("a", w -> assertThat(w).isPositive()).containsEntry("b", 0).containsEntry("c", 0);
    assertThat(zone.reduced()).isTrue();
    zone.onStep(seenBy("a", List.of("a", "b", "c")));
    assertThat(zone.get().weights().get("app.pharos.test")).as("a's app dead too: a goes first, one stays")
        .containsEntry("a", 0).containsEntry("b", 0).hasEntrySatisfying("c", w -> assertThat(w).isPositive());
  }

  @Test
  void withAMajorityTheCommittedZoneIsServedWhateverTheOwnAgentsSee() {
    journal.deposedBy("c2");
    zone.onStep(seenBy("a", List.of("a")));
    zone.refresh();
    assertThat(zone.get()).isEqualTo(initial.zone());
    assertThat(zone.reduced()).isFalse();
  }
}
