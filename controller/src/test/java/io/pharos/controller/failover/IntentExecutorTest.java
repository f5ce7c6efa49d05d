package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.core.decision.Decision;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentPhase;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.model.EventType;
import io.pharos.core.model.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's failure paths, on an in-memory journal: no Raft group, no Hazelcast, no sleeps.
 * Every step is driven by the test ({@code drivenByHand}), so what it looks at between two steps
 * is not moved on by the executor's own wake-ups.
 */
class IntentExecutorTest {
  @TempDir
  Path dir;
  FailoverFixture f;

  @AfterEach
  void close() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private FailoverFixture fixture() {
    f = new FailoverFixture(dir);
    return f;
  }

  /** Runs executor steps until {@code done} holds, for at most five seconds. */
  private static void stepUntil(IntentExecutor executor, BooleanSupplier done) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
      executor.stepNow().get(5, TimeUnit.SECONDS);
      return done.getAsBoolean();
    });
  }

  private static void step(IntentExecutor executor) throws Exception {
    executor.stepNow().get(5, TimeUnit.SECONDS);
  }

  private long proposed(Class<? extends JournalEntry> type) {
    return f.journal.proposed().stream().filter(type::isInstance).count();
  }

  /** Commits {@code d} as the intent in progress, as the leader of the current term. */
  private IntentRecord commit(Decision d) {
    assertThat(f.journal.propose(d.toIntent(f.journal.term(), f.clock.millis(), "c1")).join().accepted()).isTrue();
    return f.journal.state().pending();
  }

  @Test
  void theActingLeaderCarriesAnIntentThroughFenceDnsVerifyAndCompletion() {
    fixture().journal.becomeLeader();
    IntentExecutor executor = f.embeddedExecutor().drivenByHand();
    Decision d = f.failover("b");
    executor.propose(d);
    IntentRecord intent = f.journal.state().pending();
    assertThat(intent.intent().decisionId()).isEqualTo(d.decisionId());
    stepUntil(executor, () -> f.journal.state().pending() == null);
    assertThat(f.modes.published.get(0).modes().get("b").mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(f.modes.published.get(0).modes().get("b").token()).isEqualTo(intent.token());
    assertThat(f.journal.state().zone().token()).isEqualTo(intent.token());
    assertThat(f.journal.state().zone().weights().get("app.pharos.test")).containsEntry("b", 0);
    assertThat(f.journal.state().events()).extracting(e -> e.type()).containsSubsequence(EventType.DECIDED,
        EventType.FENCED, EventType.DNS_COMMITTED, EventType.VERIFIED, EventType.COMPLETED);
  }

  @Test
  void aDeposedLeaderNeverFencesNorTouchesDns() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider provider = new TestZoneProvider(f.config.dns(), f.clock);
    IntentExecutor executor = f.executor(provider).drivenByHand();
    Decision later = f.failover("c");
    commit(f.failover("b"));
    f.journal.deposedBy("c2");
    step(executor);
    step(executor);
    assertThat(f.modes.published).isEmpty();
    assertThat(provider.applies.get()).isZero();
    assertThat(provider.reads.get()).as("no periodic pass either").isZero();
    assertThat(f.journal.proposed()).hasSize(1);
    executor.propose(later);
    assertThat(f.journal.proposed()).as("a follower proposes no decision").hasSize(1);
  }

  @Test
  void aLeaderDeposedWhileItsStepIsCommittingGetsNothingIn() throws Exception {
    fixture().journal.becomeLeader();
    IntentExecutor executor = f.embeddedExecutor().drivenByHand();
    IntentRecord intent = commit(f.failover("b"));
    f.journal.holdProposals();
    step(executor);
    assertThat(proposed(Fenced.class)).isEqualTo(1);
    step(executor);
    assertThat(proposed(Fenced.class)).as("the step is not repeated while its entry is committing").isEqualTo(1);
    f.journal.deposedBy("c2");
    await().atMost(Duration.ofSeconds(5)).until(() -> f.actionLog().stream().anyMatch(a -> a.path("action").asText()
        .equals("propose-Fenced") && a.path("outcome").asText().startsWith("failed: deposed by c2")));
    assertThat(f.journal.state().pending().phase()).isEqualTo(IntentPhase.COMMITTED);
    assertThat(f.journal.state().pending().token()).isEqualTo(intent.token());
    assertThat(f.metrics.errors().counted("journal.not-committed")).isEqualTo(1);
  }

  @Test
  void aLeaseLostBetweenTheCheckAndTheActCommitsNoStep() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider provider = new TestZoneProvider(f.config.dns(), f.clock);
    IntentExecutor executor = f.executor(provider).drivenByHand();
    commit(f.failover("b"));
    // the modes are published (receivers fence a late writer by token), but the step is not committed
    f.modes.afterWrite = f.journal::loseLease;
    step(executor);
    assertThat(f.modes.published).hasSize(1);
    assertThat(proposed(Fenced.class)).isZero();
    assertThat(f.journal.state().pending().phase()).isEqualTo(IntentPhase.COMMITTED);
    step(executor);
    assertThat(f.modes.published).as("nothing while not acting").hasSize(1);

    f.modes.afterWrite = () -> { };
    f.journal.regainLease();
    stepUntil(executor, () -> f.journal.state().pending().phase() == IntentPhase.FENCED);
    // the same gap at the DNS change: applied at the provider, but not recorded as committed
    provider.afterApply = f.journal::loseLease;
    step(executor);
    assertThat(provider.applies.get()).isEqualTo(1);
    assertThat(proposed(DnsCommitted.class)).isZero();
    assertThat(f.journal.state().pending().phase()).isEqualTo(IntentPhase.FENCED);

    provider.afterApply = () -> { };
    f.journal.regainLease();
    stepUntil(executor, () -> f.journal.state().pending() == null);
    assertThat(proposed(Completed.class)).isEqualTo(1);
  }

  @Test
  void oneDnsChangeIsInFlightPerDecisionGivenUpAtItsWindowAndTheIntentAbortedAfterItsDeadline() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider provider = new TestZoneProvider(f.config.dns(), f.clock);
    provider.hangApplies = true;
    IntentExecutor executor = f.executor(provider).drivenByHand();
    IntentRecord intent = commit(f.failover("b"));
    stepUntil(executor, () -> f.journal.state().pending().phase() == IntentPhase.FENCED);
    stepUntil(executor, () -> provider.applies.get() == 1);
    for (int i = 0; i < 5; i++) {
      step(executor);
    }
    assertThat(provider.applies.get()).as("no second change while the first is under way").isEqualTo(1);
    assertThat(provider.windows.get(0).open()).isTrue();

    // its window passes: its attempts stop, the step records it and the next one starts again
    f.clock.advance(FailoverFixture.PROVIDER_CALL);
    assertThat(provider.windows.get(0).open()).isFalse();
    stepUntil(executor, () -> provider.applies.get() == 2);
    assertThat(f.actionLog()).filteredOn(a -> a.path("action").asText().equals("dns-apply"))
        .singleElement().satisfies(a -> assertThat(a.path("outcome").asText())
            .startsWith("given up: DNS change not done within its window"));
    assertThat(f.metrics.errors().counted("dns.apply")).isEqualTo(1);
    assertThat(f.journal.state().pending()).as("not aborted before its deadline").isNotNull();

    f.clock.advance(Duration.ofMinutes(3));
    stepUntil(executor, () -> f.journal.state().pending() == null);
    assertThat(provider.windows.get(1).cancelled()).as("the change in flight was cancelled by the abort").isTrue();
    var done = f.journal.state().intents().get(intent.intent().decisionId());
    assertThat(done.phase()).isEqualTo(IntentPhase.ABORTED);
    assertThat(f.journal.applied()).extracting(a -> a.entry()).filteredOn(AlertRaised.class::isInstance)
        .singleElement().satisfies(e -> {
          assertThat(((AlertRaised) e).code()).isEqualTo("IntentAborted");
          assertThat(((AlertRaised) e).message()).contains("no progress in phase FENCED")
              .contains("last error: DNS change not done within its window");
        });
    assertThat(f.journal.state().modes().get("b").mode()).as("a fenced region stays fenced").isEqualTo(Mode.READ_ONLY);
    assertThat(provider.applies.get()).as("nothing after the abort").isEqualTo(2);
  }

  @Test
  void anOperatorsAbortCancelsTheChangeInFlightBeforeTheAbortIsCommitted() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider provider = new TestZoneProvider(f.config.dns(), f.clock);
    provider.hangApplies = true;
    IntentExecutor executor = f.executor(provider).drivenByHand();
    IntentRecord intent = commit(f.failover("b"));
    stepUntil(executor, () -> provider.applies.get() == 1);
    f.journal.holdProposals();

    executor.abort(intent.intent().decisionId(), "operator ops: wrong region");

    assertThat(f.journal.proposed()).last().isInstanceOf(Completed.class);
    assertThat(f.journal.state().pending()).as("the abort is not committed yet").isNotNull();
    assertThat(provider.windows.get(0).cancelled()).as("but the change's window is already closed").isTrue();
    assertThat(provider.windows.get(0).closedBecause().orElseThrow()).contains("being aborted")
        .contains("operator ops: wrong region");
    f.journal.releaseHeld();
    stepUntil(executor, () -> f.journal.state().pending() == null);
    step(executor);
    assertThat(provider.applies.get()).isEqualTo(1);
    assertThat(f.actionLog()).anySatisfy(a -> assertThat(a.path("outcome").asText()).startsWith("cancelled: decision "
        + intent.intent().decisionId() + " is being aborted"));
  }

  @Test
  void aChangeThatLandsAfterItsDecisionWasAbortedIsPutBackByThePeriodicPass() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider provider = new TestZoneProvider(f.config.dns(), f.clock);
    IntentExecutor executor = f.executor(provider).drivenByHand();
    var base = f.journal.state().zone().weights();
    // the zone as the journal has it, applied once
    step(executor);
    provider.holdApplies = true;
    IntentRecord intent = commit(f.failover("b"));
    stepUntil(executor, () -> provider.applies.get() >= 1);
    executor.abort(intent.intent().decisionId(), "operator ops: changed my mind").get(5, TimeUnit.SECONDS);
    assertThat(f.journal.state().pending()).isNull();
    assertThat(f.journal.state().zone().weights()).isEqualTo(base);

    // the attempt that was on the wire lands after the abort
    provider.holdApplies = false;
    provider.releaseHeld();
    assertThat(provider.served().token()).isEqualTo(intent.token());
    assertThat(provider.served().weights()).isNotEqualTo(base);

    f.clock.advance(f.config.dns().settings().reconcile().interval());
    stepUntil(executor, () -> provider.served().weights().equals(base));
    assertThat(f.journal.state().zone().weights()).isEqualTo(base);
    assertThat(f.metrics.errors().counted("dns.periodic-pass")).isZero();
    // the late landing is in the action log, after the cancellation
    assertThat(f.actionLog()).filteredOn(a -> a.path("action").asText().equals("dns-apply"))
        .extracting(a -> a.path("outcome").asText().replaceAll(":.*", ""))
        .containsExactly("cancelled", "ok");
  }

  @Test
  void aRefusedProposalIsLoggedAndNothingIsExecutedForIt() throws Exception {
    fixture().journal.becomeLeader();
    IntentExecutor executor = f.embeddedExecutor().drivenByHand();
    Decision d = f.failover("b");
    executor.propose(d);
    stepUntil(executor, () -> f.journal.state().pending() == null);
    int published = f.modes.published.size();
    executor.propose(d);
    await().atMost(Duration.ofSeconds(5)).until(() -> proposed(Intent.class) == 2);
    step(executor);
    assertThat(f.actionLog()).filteredOn(a -> a.path("action").asText().equals("propose-Intent"))
        .extracting(a -> a.path("outcome").asText())
        .containsExactly("ok", "refused: decision " + d.decisionId() + " was already committed");
    assertThat(f.journal.state().pending()).isNull();
    assertThat(f.modes.published).hasSize(published);
  }

  @Test
  void aNewerTokenInTheModeStoreStopsTheStep() throws Exception {
    fixture().journal.becomeLeader();
    IntentExecutor executor = f.embeddedExecutor().drivenByHand();
    commit(f.failover("b"));
    f.modes.failWith = new ModeStore.StaleLeaderException("mode of b holds a newer token");
    step(executor);
    assertThat(proposed(Fenced.class)).isZero();
    assertThat(f.metrics.errors().counted("failover.stale-leader")).isEqualTo(1);
    assertThat(f.actionLog()).anySatisfy(a -> assertThat(a.path("outcome").asText())
        .isEqualTo("stale: mode of b holds a newer token"));
  }

  @Test
  void onlyAZoneServedAwayFromTheJournalGetsAPeriodicPass() throws Exception {
    fixture().journal.becomeLeader();
    TestZoneProvider remote = new TestZoneProvider(f.config.dns(), f.clock);
    step(f.executor(remote).drivenByHand());
    assertThat(remote.reads.get()).isEqualTo(1);
    TestZoneProvider fromJournal = new TestZoneProvider(f.config.dns(), f.clock);
    fromJournal.servedFromJournal = true;
    step(f.executor(fromJournal).drivenByHand());
    assertThat(fromJournal.reads.get()).isZero();
    assertThat(f.metrics.errors().counted("dns.periodic-pass")).isZero();
  }
}
