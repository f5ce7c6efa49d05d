package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.UnappliableEntryException;
import io.pharos.testkit.config.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 1, at the state machine: what stops a replica for good (an entry it cannot read,
 * an entry whose apply throws) and what does not (a refusal by the journal's rules); and the
 * leader's check that keeps such entries from being appended at all.
 */
class JournalStateMachineTest {
  final ErrorCounter errors = new ControllerMetrics("t").errors();
  final List<JournalStateMachine.Halt> halts = new ArrayList<>();
  final JournalStateMachine sm = new JournalStateMachine(ControlState.initial(TestConfigs.threeRegions()),
      JournalCodec.FORMAT_VERSION, errors);

  JournalStateMachineTest() {
    sm.onHalt(halts::add);
  }

  @Test
  void aRefusalByTheJournalsRulesIsAppliedAsRefusedAndTheReplicaGoesOn() throws Exception {
    var reply = sm.applyTransaction(committed(3, 5, JournalCodec.encode(alert(2, "stale term")))).get();
    assertThat(JournalStateMachine.proposal(reply).accepted()).isFalse();
    assertThat(JournalStateMachine.proposal(reply).detail()).contains("proposed in term 2 but appended in term 3");
    assertThat(sm.halted()).isNull();
    assertThat(sm.getLastAppliedTermIndex().getIndex()).isEqualTo(5);
    assertThat(JournalStateMachine.proposal(sm.applyTransaction(committed(3, 6, JournalCodec.encode(alert(3, "ok"))))
        .get()).accepted()).isTrue();
  }

  @Test
  void anEntryWhoseApplyThrowsStopsTheReplicaBeforeItsIndexAdvances() throws Exception {
    sm.applyTransaction(committed(3, 5, JournalCodec.encode(alert(3, "first")))).get();
    ControlState before = sm.replica().state();
    assertThatThrownBy(() -> sm.applyTransaction(committed(3, 6, JournalCodec.encode(brokenIntent(3)))))
        .isInstanceOf(UnappliableEntryException.class)
        .hasMessageContaining("cannot apply the committed journal entry at 3:6: applying Intent failed");
    assertThat(sm.halted().index()).isEqualTo(6);
    assertThat(halts).hasSize(1);
    assertThat(sm.replica().state()).isSameAs(before);
    assertThat(sm.getLastAppliedTermIndex().getIndex()).as("not advanced past the entry").isEqualTo(5);
    assertThat(errors.counted("raft.unappliable-entry")).isEqualTo(1);
    // nothing after it is applied, even if Ratis were to go on
    assertThatThrownBy(() -> sm.applyTransaction(committed(3, 7, JournalCodec.encode(alert(3, "later")))))
        .hasMessageContaining("this replica stopped at 3:6 and applies nothing after it");
    assertThat(sm.getLastAppliedTermIndex().getIndex()).isEqualTo(5);
    assertThat(halts).hasSize(1);
  }

  @Test
  void anEntryItCannotReadStopsTheReplica() {
    assertThatThrownBy(() -> sm.applyTransaction(committed(3, 5, "{\"v\":1,\"type\":\"no-such-entry\"}"
        .getBytes(StandardCharsets.UTF_8)))).isInstanceOf(UnappliableEntryException.class);
    assertThat(sm.halted().reason()).contains("cannot apply the committed journal entry at 3:5")
        .contains("no-such-entry");
  }

  @Test
  void theLeaderRefusesToAppendWhatNoReplicaCouldApply() throws Exception {
    assertThat(sm.startTransaction(request(JournalCodec.encode(alert(3, "fine"))))).isNotNull();
    assertThatThrownBy(() -> sm.startTransaction(request("garbage".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class).hasMessageContaining("journal entry refused before it was appended");
    assertThatThrownBy(() -> sm.startTransaction(request(JournalCodec.encode(alert(3, "newer"),
        JournalCodec.FORMAT_VERSION + 1)))).hasMessageContaining("is newer than this controller reads");
    assertThatThrownBy(() -> sm.startTransaction(request(JournalCodec.encode(brokenIntent(3)))))
        .hasMessageContaining("applying Intent would fail");
    assertThat(errors.counted("raft.entry-refused")).isEqualTo(3);
    assertThat(sm.halted()).isNull();
  }

  private TransactionContext committed(long term, long index, byte[] data) {
    LogEntryProto e = LogEntryProto.newBuilder().setTerm(term).setIndex(index).setStateMachineLogEntry(
        StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFrom(data))).build();
    return TransactionContext.newBuilder().setStateMachine(sm).setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(e)
        .build();
  }

  private static RaftClientRequest request(byte[] data) {
    return RaftClientRequest.newBuilder().setClientId(ClientId.randomId()).setServerId(RaftPeerId.valueOf("t"))
        .setGroupId(RaftGroupId.randomId()).setCallId(1).setMessage(Message.valueOf(ByteString.copyFrom(data)))
        .setType(RaftClientRequest.writeRequestType()).build();
  }

  private static JournalEntry alert(long term, String message) {
    return new AlertRaised("Test", "INFO", null, message, false, term, 1_000, "t");
  }

  /** An intent without regions: it decodes, but applying it throws. */
  private static Intent brokenIntent(long term) {
    return new Intent("d9", IntentKind.FAILOVER, null, null, null, null, "RegionDown", "x", true, 0, 0, term, 1, "c1");
  }
}
