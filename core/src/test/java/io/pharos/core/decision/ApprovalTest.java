package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.Approval;
import io.pharos.core.journal.ApprovalGranted;
import io.pharos.core.journal.ApprovalRejected;
import io.pharos.core.journal.IntentKind;
import org.junit.jupiter.api.Test;

/** Decisions that wait for an operator: evidence one vantage short, and policy.mode approve. */
class ApprovalTest {

  /** a's agents dead, then b frozen whole (its app, agent and controller): only c sees b failing. */
  private static Sim shortEvidence(String policyChange) {
    Sim sim = new Sim(policyChange == null ? TestConfigs.threeRegions()
        : TestConfigs.threeRegionsWith("recoverAfter: 30s", "recoverAfter: 30s, " + policyChange));
    sim.run(12_000);
    sim.silent.add("a");
    sim.run(4_000);
    sim.silent.add("b");
    sim.killRegion("b").run(6_000);
    return sim;
  }

  private static Approval waiting(Sim sim) {
    return sim.control.approvals().values().stream().filter(a -> a.status() == Approval.Status.WAITING)
        .findFirst().orElseThrow();
  }

  @Test
  void shortEvidenceWaitsWithItsEvidenceAndAnApprovalCarriesItOut() {
    Sim sim = shortEvidence(null);
    assertThat(sim.decisions).isEmpty();
    Approval a = waiting(sim);
    assertThat(a.regions()).containsExactly("b");
    assertThat(a.why()).isEqualTo("evidence one vantage short");
    assertThat(a.reason()).contains("1 of 2 other regions see it failing [c]").contains("one vote short");
    assertThat(sim.analyses(AnalysisCode.FAILOVER_AWAITING_APPROVAL)).singleElement()
        .satisfies(x -> assertThat(x.message()).contains("pharos approve " + a.decisionId()));
    sim.run(5_000);
    assertThat(sim.control.approvals()).as("asked once").hasSize(1);

    assertThat(sim.commit(new ApprovalGranted(a.decisionId(), "alice", "b is down, checked the console", sim.term,
        sim.now, "c1")).accepted()).isTrue();
    sim.run(500);
    assertThat(sim.decisions).singleElement().satisfies(d -> {
      assertThat(d.decisionId()).isEqualTo(a.decisionId());
      assertThat(d.kind()).isEqualTo(IntentKind.FAILOVER);
      assertThat(d.regions()).containsExactly("b");
      assertThat(d.automatic()).isFalse();
      assertThat(d.reason()).startsWith("approved by alice (b is down, checked the console)");
    });
    assertThat(sim.control.out()).containsExactly("b");
    assertThat(sim.control.approvals().get(a.decisionId()).status()).isEqualTo(Approval.Status.EXECUTED);
    assertThat(sim.control.autoFailovers()).as("an approved failover is not automatic").isEmpty();
  }

  @Test
  void aRejectionChangesNothingAndIsNotAskedAgainUntilTheRegionChanges() {
    Sim sim = shortEvidence(null);
    Approval a = waiting(sim);
    assertThat(sim.commit(new ApprovalRejected(a.decisionId(), "bob", "b is in maintenance", sim.term, sim.now, "c1"))
        .accepted()).isTrue();
    sim.run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.control.approvals().values()).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(Approval.Status.REJECTED));
    assertThat(sim.analyses(AnalysisCode.FAILOVER_AWAITING_APPROVAL)).isEmpty();
  }

  @Test
  void aWaitingDecisionIsWithdrawnWhenTheRegionIsHealthyAgain() {
    Sim sim = shortEvidence(null);
    Approval a = waiting(sim);
    sim.silent.clear();
    sim.failing = (v, e) -> false;
    sim.run(8_000);
    assertThat(sim.control.approvals().get(a.decisionId()).status()).isEqualTo(Approval.Status.WITHDRAWN);
    assertThat(sim.decisions).isEmpty();
  }

  @Test
  void withShortEvidenceOnAlertNothingWaitsAndThePageSaysWhy() {
    Sim sim = shortEvidence("shortEvidence: alert");
    assertThat(sim.control.approvals()).isEmpty();
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.FAILOVER_BLOCKED)).singleElement()
        .satisfies(x -> assertThat(x.message()).contains("policy.shortEvidence is alert"));
  }

  @Test
  void inApproveModeAClearLossWaitsForAnOperator() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("mode: auto", "mode: approve"));
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).isEmpty();
    Approval a = waiting(sim);
    assertThat(a.why()).isEqualTo("policy.mode is approve");
    assertThat(a.reason()).contains("2 of 2 other regions see it failing");
    sim.commit(new ApprovalGranted(a.decisionId(), "alice", "confirmed", sim.term, sim.now, "c1"));
    sim.run(500);
    assertThat(sim.decisions).singleElement().satisfies(d -> assertThat(d.regions()).containsExactly("b"));
  }

  @Test
  void anUnansweredDecisionIsEscalatedPastTheDeadlineAndStillNeverActsAlone() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("mode: auto", "mode: approve, approvalEscalateAfter: 2m"));
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    Approval a = waiting(sim);
    assertThat(sim.analyses(AnalysisCode.APPROVAL_OVERDUE)).isEmpty();
    sim.run(120_000);
    assertThat(sim.analyses(AnalysisCode.APPROVAL_OVERDUE)).singleElement().satisfies(x -> {
      assertThat(x.region()).isEqualTo("b");
      assertThat(x.message()).contains("policy.approvalEscalateAfter 2m").contains("pharos approve " + a.decisionId());
    });
    assertThat(AnalysisCode.APPROVAL_OVERDUE.severity()).isEqualTo(AnalysisCode.Severity.CRITICAL);
    assertThat(sim.analyses(AnalysisCode.FAILOVER_AWAITING_APPROVAL)).hasSize(1);
    sim.run(600_000);
    assertThat(sim.decisions).as("never acts on its own").isEmpty();
    assertThat(sim.control.out()).isEmpty();
    sim.commit(new ApprovalRejected(a.decisionId(), "bob", "known maintenance", sim.term, sim.now, "c1"));
    sim.run(500);
    assertThat(sim.analyses(AnalysisCode.APPROVAL_OVERDUE)).isEmpty();
    assertThat(sim.control.out()).isEmpty();
  }

  @Test
  void aClearLossSupersedesAWaitingShortEvidenceDecision() {
    Sim sim = shortEvidence(null);
    Approval a = waiting(sim);
    sim.silent.remove("a"); // a's agents are back: two vantages see b failing
    sim.run(6_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> assertThat(d.automatic()).isTrue());
    assertThat(sim.control.approvals().get(a.decisionId()).status()).isEqualTo(Approval.Status.SUPERSEDED);
  }
}
