package io.pharos.testkit.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.Leadership.Role;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class InMemoryJournalTest {
  static final ControlState INITIAL = ControlState.initial(ConfigLoader.parse("""
      regions:
        - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
        - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
      dns:
        zone: pharos.test
        records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ]
      controllers:
        peers:
          - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
      """, Map.of()));

  private static AlertRaised alert(long term) {
    return new AlertRaised("Test", "INFO", null, "hello", false, term, 1_000, "c1");
  }

  @Test
  void aLeaderCommitsInItsTermAndAFollowerIsRefused() {
    InMemoryJournal j = new InMemoryJournal(INITIAL);
    assertThat(j.role()).isEqualTo(Role.FOLLOWER);
    assertThat(j.propose(alert(0))).failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(NotLeaderException.class);
    List<String> changes = new ArrayList<>();
    j.onLeadershipChange(() -> changes.add(j.role() + "@" + j.term()));
    j.becomeLeader();
    assertThat(j.isActingLeader()).isTrue();
    assertThat(j.propose(alert(1)).join()).isEqualTo(new Proposal(true, "", 1, 1));
    assertThat(j.state().alerts()).hasSize(1);
    assertThat(j.lastAppliedIndex()).isEqualTo(1);
    // proposed in term 1, appended in term 2: refused by the same logic as the controllers' journal
    j.becomeLeader();
    Proposal stale = j.propose(alert(1)).join();
    assertThat(stale.accepted()).isFalse();
    assertThat(stale.detail()).contains("proposed in term 1 but appended in term 2");
    j.loseLease();
    assertThat(j.isActingLeader()).isFalse();
    assertThat(j.role()).isEqualTo(Role.LEADER);
    j.deposedBy("c2");
    assertThat(j.leaderId()).contains("c2");
    assertThat(changes).containsExactly("LEADER@1", "LEADER@2", "FOLLOWER@3");
  }

  @Test
  void proposalsFailTimeOutOrHangAsTold() {
    InMemoryJournal j = new InMemoryJournal(INITIAL).becomeLeader();
    j.failProposals(new IllegalStateException("disk full"));
    assertThat(j.propose(alert(1))).isCompletedExceptionally();
    j.timeOutProposals();
    assertThatThrownBy(() -> j.propose(alert(1)).join()).hasCauseInstanceOf(TimeoutException.class);
    j.holdProposals();
    CompletableFuture<Proposal> first = j.propose(alert(1));
    CompletableFuture<Proposal> second = j.propose(alert(1));
    assertThat(first).isNotDone();
    assertThat(j.releaseHeld()).isEqualTo(2);
    assertThat(first.join().index()).isEqualTo(1);
    assertThat(second.join().index()).isEqualTo(2);
    CompletableFuture<Proposal> lost = j.propose(alert(1));
    j.deposedBy("c3");
    assertThatThrownBy(lost::join).hasCauseInstanceOf(NotLeaderException.class).hasMessageContaining("deposed by c3");
    assertThat(j.proposed()).hasSize(5);
    assertThat(j.applied()).hasSize(2);
  }

  @Test
  void aMemberOnAnOlderFormatKeepsANewerEntryOutBeforeAnythingIsCommitted() {
    InMemoryJournal j = new InMemoryJournal(INITIAL, "c1", 2).withMember("c2", 2).withMember("c3", 1).becomeLeader();
    assertThatThrownBy(() -> j.propose(alert(1), 2).join())
        .hasCauseInstanceOf(GroupFormat.VersionNotReadableException.class)
        .hasMessageContaining("c3 (reads up to 1)");
    assertThat(j.applied()).isEmpty();
    assertThat(j.propose(alert(1), 1).join().accepted()).as("the base version needs no check").isTrue();
    InMemoryJournal unknown = new InMemoryJournal(INITIAL, "c1", 2).withMember("c2", null).becomeLeader();
    assertThatThrownBy(() -> unknown.propose(alert(1), 2).join())
        .hasMessageContaining("c2 (version unknown, assumed 1)");
    InMemoryJournal upgraded = new InMemoryJournal(INITIAL, "c1", 2).withMember("c2", 2).withMember("c3", 3)
        .becomeLeader();
    assertThat(upgraded.propose(alert(1), 2).join().accepted()).isTrue();
    assertThat(upgraded.applied()).hasSize(1);
  }
}
