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
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1"), peer("c2"), peer("c3")), "alice"))
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
    assertThatThrownBy(() -> ops.setMembers(List.of(peer("c1"), peer("c2")), "alice"))
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
    ops.setMembers(List.of(peer("c1"), peer("c4"), peer("c5")), "alice").join();
    assertThat(f.journal.memberIds()).containsExactly("c1", "c4", "c5");
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
