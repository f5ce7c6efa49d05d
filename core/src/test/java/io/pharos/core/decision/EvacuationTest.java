package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.Applied;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.EvacuationAborted;
import io.pharos.core.journal.EvacuationPhase;
import io.pharos.core.journal.EvacuationStarted;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.model.EventType;
import io.pharos.core.model.Mode;
import io.pharos.core.model.PharosEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evacuation (R9) on the deterministic simulation: time moves only when the test says so. */
class EvacuationTest {
  static final String RECORD = "app.pharos.test";
  static final Map<String, Integer> BASE = Map.of("a", 50, "b", 30, "c", 20);
  static final long HOLD = 10_000;

  private Sim healthySim(String from, String to) {
    Sim sim = new Sim(from == null ? TestConfigs.threeRegions() : TestConfigs.threeRegionsWith(from, to));
    sim.run(12_000); // past the 10 s startup grace
    assertThat(sim.last().health()).allSatisfy((r, s) -> assertThat(s).isEqualTo(RegionState.HEALTHY));
    return sim;
  }

  private Applied start(Sim sim, String region, List<Integer> steps) {
    EvacuationStarted e = ManualDecisions.evacuate(sim.config, sim.control, region,
        EvacuationPlan.of(steps, Duration.ofMillis(HOLD)), gate(sim, region), "sre", "kernel upgrade", sim.term,
        sim.now, "c1");
    Applied a = sim.commit(e);
    assertThat(a.accepted()).as(a.detail()).isTrue();
    return a;
  }

  private static List<String> gate(Sim sim, String region) {
    return Evacuations.gate(sim.config, sim.control, sim.last().health(), sim.last().verdicts(), region,
        sim.control.out());
  }

  private static Map<String, Integer> served(Sim sim) {
    return sim.control.zone().weights().get(RECORD);
  }

  private static int total(Map<String, Integer> w) {
    return w.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static List<String> alertCodes(Sim sim) {
    return sim.control.timeline().stream().filter(e -> e.type() == EventType.ALERT).map(PharosEvent::code).toList();
  }

  @Test
  void stepsDownWithAHoldBetweenStepsEndsOutAndTouchesNothingElse() {
    Sim sim = healthySim(null, null);
    start(sim, "b", null); // default steps 75, 50, 0
    sim.run(200);
    assertThat(sim.decisions).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(IntentKind.EVACUATE);
      assertThat(d.automatic()).isFalse();
    });
    long firstAt = sim.now;
    assertThat(served(sim)).containsEntry("b", 23).containsEntry("a", 55).containsEntry("c", 22);
    assertThat(sim.last().evacuation().nextPercent()).isEqualTo(50);

    sim.run(HOLD - 500);
    assertThat(sim.decisions).as("no second step inside the hold").hasSize(1);
    sim.run(1_000);
    assertThat(sim.decisions).hasSize(2);
    assertThat(served(sim)).containsEntry("b", 15);
    assertThat(total(served(sim))).isEqualTo(100);

    sim.run(HOLD + 500);
    assertThat(sim.decisions).hasSize(3);
    assertThat(served(sim)).containsEntry("b", 0).containsEntry("a", 71).containsEntry("c", 29);
    assertThat(sim.control.out()).containsExactly("b");
    assertThat(sim.control.evacuation().phase()).isEqualTo(EvacuationPhase.EVACUATED);
    assertThat(sim.decisions).extracting(Decision::kind).containsOnly(IntentKind.EVACUATE);
    assertThat(sim.now - firstAt).isGreaterThanOrEqualTo(2 * HOLD);
    // an evacuation fences nothing, and no automatic failover was counted
    assertThat(sim.control.modes()).allSatisfy((r, m) -> assertThat(m.mode()).isEqualTo(Mode.READ_WRITE));
    assertThat(sim.control.autoFailovers()).isEmpty();
    assertThat(alertCodes(sim)).containsSubsequence("EvacuationStarted", "Evacuated");
    assertThat(sim.control.events()).filteredOn(e -> e.type() == EventType.FENCED).extracting(PharosEvent::detail)
        .containsOnly("modes published with the intent's token (every region read-write)");
  }

  @Test
  void anEvacuatedRegionIsNeverFailedBackAutomaticallyOnlyOnCommand() {
    Sim sim = healthySim("recoverAfter: 30s", "recoverAfter: 30s, failback: auto, cooldown: 10s");
    start(sim, "b", List.of(0));
    sim.run(200);
    assertThat(sim.control.out()).containsExactly("b");
    sim.run(60_000);
    assertThat(sim.decisions).as("healthy for the window, still no automatic failback").hasSize(1);
    assertThat(sim.analyses(AnalysisCode.REGION_RECOVERED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("evacuated").contains("pharos failback b"));

    Decision fb = ManualDecisions.failback(sim.config, sim.control, "b", true, false, "sre", "done", sim.now);
    sim.decisions.add(fb);
    sim.execute(fb);
    assertThat(served(sim)).isEqualTo(BASE);
    assertThat(sim.control.out()).isEmpty();
    assertThat(sim.control.evacuation()).isNull();
    assertThat(alertCodes(sim)).contains("EvacuationEnded");
  }

  @Test
  void pausesWhileARegionThatTakesTheTrafficIsUnhealthyAndWaitsAWholeHoldAfter() {
    Sim sim = healthySim(null, null);
    start(sim, "b", List.of(75, 50, 0));
    sim.run(200);
    assertThat(sim.decisions).hasSize(1);
    sim.failing = (v, e) -> v.equals("a") && e.startsWith("c/"); // c SUSPECT: one vantage is no majority
    sim.run(HOLD + 5_000);
    assertThat(sim.decisions).as("no step while c is not healthy").hasSize(1);
    assertThat(sim.last().evacuation().paused()).isTrue();
    assertThat(sim.analyses(AnalysisCode.EVACUATION_PAUSED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("c is SUSPECT").contains("pharos evacuate b --abort"));
    assertThat(sim.analyses(AnalysisCode.EVACUATION_PAUSED).get(0).code().response())
        .isEqualTo(AnalysisCode.Response.ALERT);

    sim.failing = (v, e) -> false;
    long healedBy = 0;
    while (sim.last().evacuation().paused()) {
      sim.run(Sim.TICK);
      healedBy = sim.now;
    }
    sim.run(HOLD - 1_000);
    assertThat(sim.decisions).as("a whole hold after the gate opened again").hasSize(1);
    sim.run(1_500);
    assertThat(sim.decisions).hasSize(2);
    assertThat(sim.now - healedBy).isGreaterThanOrEqualTo(HOLD);
    assertThat(sim.decisions).extracting(Decision::kind).doesNotContain(IntentKind.FAILOVER);
  }

  @Test
  void abortRestoresTheWeightsFromBeforeTheEvacuation() {
    Sim sim = healthySim(null, null);
    Map<String, Integer> before = served(sim);
    start(sim, "b", List.of(75, 50, 0));
    sim.run(HOLD + 500);
    assertThat(served(sim)).containsEntry("b", 15);
    Applied a = sim.commit(ManualDecisions.abortEvacuation(sim.control, "b", "sre", "traffic spike", sim.term, sim.now,
        "c1"));
    assertThat(a.accepted()).as(a.detail()).isTrue();
    sim.run(200);
    Decision restore = sim.decisions.get(sim.decisions.size() - 1);
    assertThat(restore.kind()).isEqualTo(IntentKind.FAILBACK);
    assertThat(restore.code()).isEqualTo(AnalysisCode.EVACUATION_ABORTED);
    assertThat(served(sim)).isEqualTo(before);
    assertThat(sim.control.evacuation()).isNull();
    sim.run(3 * HOLD);
    assertThat(sim.decisions).as("nothing after the restore").hasSize(3);
    assertThat(alertCodes(sim)).containsSubsequence("EvacuationStarted", "EvacuationAborted", "EvacuationEnded");
    assertThatThrownBy(() -> ManualDecisions.abortEvacuation(sim.control, "b", "sre", "again", sim.term, sim.now,
        "c1")).hasMessageContaining("no evacuation of b is in progress");
  }

  @Test
  void anotherRegionLostMidEvacuationIsFailedOverKeepingTheEvacuatingShareAndPausesIt() {
    Sim sim = healthySim(null, null);
    start(sim, "b", List.of(75, 50, 0));
    sim.run(200);
    assertThat(served(sim)).containsEntry("b", 23);
    sim.killRegion("c").run(5_000);
    Decision fo = sim.decisions.get(sim.decisions.size() - 1);
    assertThat(fo.kind()).isEqualTo(IntentKind.FAILOVER);
    assertThat(fo.regions()).containsExactly("c");
    assertThat(fo.weights().get(RECORD)).containsEntry("b", 23).containsEntry("a", 77).containsEntry("c", 0);
    sim.run(2 * HOLD);
    assertThat(sim.decisions).hasSize(2);
    assertThat(sim.analyses(AnalysisCode.EVACUATION_PAUSED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("c was failed over during the evacuation"));
  }

  @Test
  void theEvacuatingRegionLostMidEvacuationIsFailedOverAtOnceAndTheEvacuationEnds() {
    Sim sim = healthySim(null, null);
    start(sim, "b", List.of(75, 50, 0));
    sim.run(200);
    sim.killRegion("b").run(5_000);
    Decision fo = sim.decisions.get(sim.decisions.size() - 1);
    assertThat(fo.kind()).as("the evacuation step does not start the cooldown").isEqualTo(IntentKind.FAILOVER);
    assertThat(fo.regions()).containsExactly("b");
    assertThat(sim.control.evacuation()).isNull();
    assertThat(sim.control.modes().get("b").mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(alertCodes(sim)).contains("EvacuationEnded");
  }

  @Test
  void startIsRefusedWithTheReason() {
    Sim sim = healthySim(null, null);
    assertThatThrownBy(() -> ManualDecisions.evacuate(sim.config, sim.control, "x", EvacuationPlan.of(null, null),
        List.of(), "sre", "r", 1, sim.now, "c1")).hasMessageContaining("unknown region 'x'");
    assertThatThrownBy(() -> ManualDecisions.evacuate(sim.config, sim.control, "b", EvacuationPlan.of(null, null),
        List.of("c is SUSPECT"), "sre", "r", 1, sim.now, "c1")).hasMessageContaining("must be healthy")
        .hasMessageContaining("c is SUSPECT");
    start(sim, "b", null);
    assertThatThrownBy(() -> ManualDecisions.evacuate(sim.config, sim.control, "a", EvacuationPlan.of(null, null),
        List.of(), "sre", "r", 1, sim.now, "c1")).hasMessageContaining("one evacuation at a time");
    assertThatThrownBy(() -> ManualDecisions.failback(sim.config, sim.control, "b", true, false, "sre", "r", sim.now))
        .hasMessageContaining("being evacuated").hasMessageContaining("--abort");
  }

  @Test
  void theJournalRefusesStepsOutOfOrderAndBadPlans() {
    Sim sim = healthySim(null, null);
    Applied bad = sim.commit(new EvacuationStarted("ev-b-1", "b", List.of(50, 75, 0), 1_000, "sre", "r", sim.term,
        sim.now, "c1"));
    assertThat(bad.accepted()).isFalse();
    assertThat(bad.detail()).contains("steps must go down");
    start(sim, "b", List.of(75, 50, 0));
    var ev = sim.control.evacuation();
    Decision skipAhead = new Decision(ev.stepId(1), IntentKind.EVACUATE, List.of("b"), sim.control.out(),
        java.util.Set.of(), WeightPlan.base(sim.config.dns()), AnalysisCode.EVACUATING, "skip", false, 0, 0);
    Applied a = sim.commit(skipAhead.toIntent(sim.term, sim.now, "c1"));
    assertThat(a.accepted()).isFalse();
    assertThat(a.detail()).contains("not the next step").contains(ev.stepId(0));
    Applied abortUnknown = sim.commit(new EvacuationAborted("ev-zzz", "sre", "r", sim.term, sim.now, "c1"));
    assertThat(abortUnknown.accepted()).isFalse();
  }

  @Test
  void planValidationNamesTheField() {
    assertThat(EvacuationPlan.of(null, null).steps()).containsExactly(75, 50, 0);
    assertThatThrownBy(() -> EvacuationPlan.of(List.of(), null)).hasMessageContaining("steps must not be empty");
    assertThatThrownBy(() -> EvacuationPlan.of(List.of(120, 0), null)).hasMessageContaining("steps[0]")
        .hasMessageContaining("was 120");
    assertThatThrownBy(() -> EvacuationPlan.of(List.of(75, 50), null))
        .hasMessageContaining("the last step must be 0");
    assertThatThrownBy(() -> EvacuationPlan.of(null, Duration.ofMillis(10))).hasMessageContaining("hold must be");
    assertThatThrownBy(() -> EvacuationPlan.parseSteps("75,half,0")).hasMessageContaining("'half'");
    assertThat(EvacuationPlan.parseSteps("75%, 50 ,0")).containsExactly(75, 50, 0);
  }

  @Test
  void weightsHoldAnEvacuatingRegionAtItsShareAndNeverZeroEverything() {
    Map<String, Integer> w = WeightPlan.planRecord(BASE, List.of(), Map.of("b", 50));
    assertThat(w).containsEntry("b", 15).containsEntry("a", 61).containsEntry("c", 24);
    assertThat(WeightPlan.planRecord(BASE, List.of("a", "c"), Map.of("b", 50)))
        .as("nowhere else to go: the held region keeps the traffic").containsEntry("b", 100);
    assertThat(WeightPlan.scaled(1, 10)).isEqualTo(1);
    assertThat(WeightPlan.scaled(30, 0)).isZero();
  }

  @Test
  void anEvacuationSurvivesASnapshot() throws Exception {
    Sim sim = healthySim(null, null);
    start(sim, "b", List.of(75, 50, 0));
    sim.run(200);
    ControlState back = JournalCodec.decodeState(JournalCodec.encodeState(sim.control));
    assertThat(back).isEqualTo(sim.control);
    assertThat(JournalCodec.decode(JournalCodec.encode(new EvacuationAborted("ev-b-1", "sre", "r", 1, 2, "c1"))))
        .isInstanceOf(EvacuationAborted.class);
  }
}
