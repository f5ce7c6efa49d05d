package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.HostPort;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.journal.Approval;
import io.pharos.core.journal.ApprovalRequested;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.IntentPhase;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.MembershipChange;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
  @TempDir
  Path dir;
  FailoverFixture f;
  Operations ops;

  @BeforeEach
  void setUp() {
    f = new FailoverFixture(dir);
    ops = new Operations(f.config, "c1", f.clock, f.journal, f.journal, f.embeddedExecutor(), () -> null);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static ControllerPeer peer(String id) {
    HostPort hp = HostPort.parse("127.0.0.1:1");
    return new ControllerPeer(id, "a", hp, hp, hp, hp);
  }

  @Test
  void aControllerThatIsNotTheActingLeaderRefusesNamingTheLeader() {
    assertThatThrownBy(() -> ops.pause("alice", "deploy", 0)).isInstanceOf(NotLeaderException.class)
        .hasMessage("controller c1 is not the acting leader (leader: none)");
    f.journal.deposedBy("c2");
    assertThatThrownBy(() -> ops.failover("b", "alice", "drill")).isInstanceOf(NotLeaderException.class)
        .hasMessageContaining("(leader: c2)");
    f.journal.becomeLeader().loseLease();
    assertThatThrownBy(() -> ops.acknowledge(Operations.FAILOVER_LIMIT, "alice"))
        .as("a leader without its lease is not acting").isInstanceOf(NotLeaderException.class)
        .hasMessageContaining("(leader: c1)");
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1"), peer("c2"), peer("c3")), "alice", "replace c3"))
        .isInstanceOf(NotLeaderException.class);
    assertThat(f.journal.proposed()).isEmpty();
  }

  @Test
  void refusalsSayWhatWasWrong() {
    f.journal.becomeLeader();
    assertThatThrownBy(() -> ops.acknowledge("everything", "alice")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessage("unknown acknowledgement 'everything' (known: failover-limit)");
    assertThatThrownBy(() -> ops.resume("alice")).hasMessage("automation is not paused");
    assertThatThrownBy(() -> ops.failover("mars", "alice", "drill")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessageContaining("unknown region 'mars'");
    assertThatThrownBy(() -> ops.evacuate("b", null, null, "alice", "kernel"))
        .hasMessageContaining("has not judged the regions yet");
    assertThatThrownBy(() -> ops.abort("d-nope", "alice", "x")).hasMessage("decision d-nope is not in progress");
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1"), peer("c2")), "alice", "why"))
        .hasMessageContaining("2 controllers cannot outvote a split");
    assertThat(f.journal.proposed()).isEmpty();
  }

  @Test
  void theActingLeaderCommitsWhatOperatorsAsk() {
    f.journal.becomeLeader();
    assertThat(ops.pause("alice", "deploy", 0).join().accepted()).isTrue();
    assertThat(f.journal.state().maintenance().by()).isEqualTo("alice");
    assertThat(ops.resume("alice").join().accepted()).isTrue();
    f.journal.holdProposals();
    var failover = ops.failover("b", "alice", "drill");
    assertThat(f.journal.releaseHeld()).isEqualTo(1);
    Proposal p = failover.join();
    assertThat(p.accepted()).isTrue();
    String id = f.journal.state().pending().intent().decisionId();
    assertThatThrownBy(() -> ops.abort("other", "alice", "x"))
        .hasMessage("decision other is not in progress (in progress: " + id + ")");
    f.journal.commitProposals();
    assertThat(ops.abort(id, "alice", "changed my mind").join().accepted()).isTrue();
    assertThat(f.journal.state().intents().get(id).phase()).isEqualTo(IntentPhase.ABORTED);
  }

  @Test
  void aMembershipChangeIsJournaledWithWhoAndWhyAroundTheRaftChange() throws Exception {
    f.journal.becomeLeader().withMember("c2", 2).withMember("c3", 2).withMember("c4", 2).withMember("c5", 2);
    List<String> before = f.journal.memberIds();
    assertThat(ops.setMembers(List.of(peer("c1", 1), peer("c4", 4), peer("c5", 5)), "alice", "replace c2 and c3")
        .join().accepted()).isTrue();
    assertThat(f.journal.memberIds()).containsExactly("c1", "c4", "c5");
    List<MembershipChange> journaled = f.journal.proposed().stream().filter(MembershipChange.class::isInstance)
        .map(MembershipChange.class::cast).toList();
    assertThat(journaled).extracting(MembershipChange::phase).containsExactly(MembershipChange.Phase.REQUESTED,
        MembershipChange.Phase.DONE);
    assertThat(journaled.get(0).from()).isEqualTo(before);
    assertThat(journaled.get(0).to()).extracting(MembershipChange.Member::id).containsExactly("c1", "c4", "c5");
    assertThat(journaled.get(0).by()).isEqualTo("alice");
    assertThat(journaled.get(0).reason()).isEqualTo("replace c2 and c3");
    assertThat(JournalCodec.formatVersion(journaled.get(0))).isEqualTo(2);
    assertThat(f.journal.state().events()).filteredOn(e -> "MembershipChange".equals(e.code()))
        .extracting(e -> e.detail()).containsExactly(
            "controllers change requested by alice (" + String.join(", ", before) + " -> c1, c4, c5): replace c2 and c3",
            "controllers changed by alice (" + String.join(", ", before) + " -> c1, c4, c5): replace c2 and c3");
  }

  @Test
  void aChangeMadeButNotJournaledAsDoneSaysSo() {
    f.journal.becomeLeader();
    // c4 and c5 have not said which format they read: the change is made, its "done" record cannot be
    Proposal p = ops.setMembers(List.of(peer("c1", 1), peer("c4", 4), peer("c5", 5)), "alice", "grow").join();
    assertThat(p.accepted()).isTrue();
    assertThat(p.detail()).startsWith("members changed; not journaled as done: not proposed: journal format version 2")
        .contains("c4 (version unknown, assumed 1)");
    assertThat(f.journal.memberIds()).containsExactly("c1", "c4", "c5");
  }

  @Test
  void aOneMemberOrEvenGroupOrOneWithoutAReasonIsRefusedBeforeAnythingIsJournaled() {
    f.journal.becomeLeader();
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1", 1)), "alice", "shrink"))
        .isInstanceOf(ManualDecisions.Refused.class).hasMessageContaining("1 controllers cannot outvote a split");
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1", 1), peer("c2", 2), peer("c3", 3), peer("c4", 4)),
        "alice", "grow")).hasMessageContaining("4 controllers cannot outvote a split; use 3 or 5");
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1", 1), peer("c1", 2), peer("c3", 3)), "alice", "typo"))
        .hasMessageContaining("every member needs its own id and Raft address");
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1", 1), peer("c2", 2), peer("c3", 3)), "alice", " "))
        .hasMessage("a reason is required: say why the controllers change");
    assertThat(f.journal.proposed()).isEmpty();
  }

  @Test
  void aStayingMemberThatDoesNotReadTheEntrysFormatKeepsTheChangeFromBeingMade() {
    f.journal.becomeLeader();
    f.journal.withMember("c2", 1);
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1", 1), peer("c2", 2), peer("c4", 4)), "alice", "grow"))
        .isInstanceOf(ManualDecisions.Refused.class)
        .hasMessageContaining("the controllers change is not journaled, so it is not made")
        .hasMessageContaining("c2 (reads up to 1)");
    assertThat(f.journal.memberIds()).doesNotContain("c4");
  }

  @Test
  void aLostMemberBeingReplacedNeedNotSayWhichFormatItReads() {
    f.journal.becomeLeader().withMember("c2", 2).withMember("c3", null);
    Proposal p = ops.setMembers(List.of(peer("c1", 1), peer("c2", 2), peer("c4", 4)), "alice", "c3 lost").join();
    assertThat(p.accepted()).isTrue();
    assertThat(f.journal.memberIds()).containsExactly("c1", "c2", "c4");
    assertThat(f.journal.proposed()).filteredOn(MembershipChange.class::isInstance).first()
        .extracting(e -> ((MembershipChange) e).phase()).isEqualTo(MembershipChange.Phase.REQUESTED);
  }

  private static ControllerPeer peer(String id, int port) {
    HostPort hp = HostPort.parse("127.0.0.1:" + port);
    return new ControllerPeer(id, "a", hp, hp, hp, hp);
  }

  @Test
  void aWaitingDecisionIsApprovedOrRejectedOnlyWhileItWaits() {
    f.journal.becomeLeader();
    assertThatThrownBy(() -> ops.approve("fo-b-1", "alice", "checked")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessage("decision fo-b-1 does not wait for an operator; none waits");
    assertThat(f.journal.propose(new ApprovalRequested("fo-b-1", IntentKind.FAILOVER, List.of("b"), "RegionDown",
        "1 of 2 other regions see it failing [c]", "evidence one vantage short", 0, 0, f.journal.term(),
        f.clock.millis(), "c1")).join().accepted()).isTrue();
    assertThatThrownBy(() -> ops.reject("fo-x", "bob", "no")).hasMessage(
        "decision fo-x does not wait for an operator; waiting: fo-b-1");
    assertThat(ops.approve("fo-b-1", "alice", "checked the console").join().accepted()).isTrue();
    assertThat(f.journal.state().approvals().get("fo-b-1").status()).isEqualTo(Approval.Status.APPROVED);
    assertThat(f.journal.state().approvals().get("fo-b-1").by()).isEqualTo("alice");
    assertThatThrownBy(() -> ops.reject("fo-b-1", "bob", "too late")).hasMessageContaining("is approved, not waiting");
    f.journal.deposedBy("c2");
    assertThatThrownBy(() -> ops.approve("fo-b-1", "alice", "again")).isInstanceOf(NotLeaderException.class);
  }
}
