package io.pharos.controller.quorum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.journal.Applied;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision journal's state machine: applies committed {@link JournalEntry}s to the shared
 * {@link ControlState} at the entry's own (term, index) — never the leader's current term, since
 * an entry can commit in a later term than it was written in. Snapshots are the JSON of the state.
 */
public final class PharosStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(PharosStateMachine.class);

  /** What an apply produced, for listeners (the reconciler, the decision loop). */
  public record AppliedEntry(JournalEntry entry, long term, long index, Applied result) {}

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ControlState initial;
  private final List<Consumer<AppliedEntry>> appliedListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> leaderListeners = new CopyOnWriteArrayList<>();
  private volatile ControlState state;

  public PharosStateMachine(ControlState initial) {
    this.initial = initial;
    this.state = initial;
  }

  public ControlState state() {
    return state;
  }

  public void onApplied(Consumer<AppliedEntry> listener) {
    appliedListeners.add(listener);
  }

  /** Called when leadership changes anywhere in the group, or this node's leadership is ready. */
  public void onLeadershipChange(Runnable listener) {
    leaderListeners.add(listener);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      load(storage.loadLatestSnapshot());
    });
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    JournalEntry e;
    try {
      e = JournalCodec.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (IOException ex) {
      // a committed entry this version cannot read (a newer controller wrote it): skipping it would
      // let this replica's state diverge, so stop this replica instead; upgrade it to rejoin
      LOG.error("journal entry at {}:{} cannot be read by this version ({}); stopping this controller's Raft server:"
          + " upgrade it to the version the other controllers run", term, index, ex.getMessage());
      return CompletableFuture.failedFuture(new IllegalStateException("unreadable journal entry at " + term + ":"
          + index + ": " + ex.getMessage(), ex));
    }
    Applied a;
    synchronized (this) {
      try {
        a = state.apply(e, term, index);
      } catch (RuntimeException ex) {
        // the same code on every replica fails the same way: refuse the entry, deterministically
        LOG.error("journal entry at {}:{} failed to apply and was refused: {}", term, index, ex.toString());
        a = new Applied(state, false, "failed to apply: " + ex);
      }
      state = a.state();
      updateLastAppliedTermIndex(term, index);
    }
    if (!a.accepted()) {
      LOG.info("journal refused {} at {}:{}: {}", e.getClass().getSimpleName(), term, index, a.detail());
    }
    AppliedEntry applied = new AppliedEntry(e, term, index, a);
    for (Consumer<AppliedEntry> l : appliedListeners) {
      try {
        l.accept(applied);
      } catch (RuntimeException ex) {
        LOG.error("journal listener failed", ex);
      }
    }
    return CompletableFuture.completedFuture(reply(a.accepted(), a.detail(), term, index));
  }

  private static Message reply(boolean accepted, String detail, long term, long index) {
    ObjectNode n = JournalCodec.mapper().createObjectNode();
    n.put("accepted", accepted).put("detail", detail).put("term", term).put("index", index);
    return Message.valueOf(n.toString());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last;
    ControlState copy;
    synchronized (this) {
      last = getLastAppliedTermIndex();
      copy = state;
    }
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
    Files.write(tmp.toPath(), JournalCodec.encodeState(copy));
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    return last.getIndex();
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      state = initial;
      return;
    }
    File f = snapshot.getFile().getPath().toFile();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(f, md5);
    }
    TermIndex ti = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(f);
    ControlState loaded = JournalCodec.decodeState(Files.readAllBytes(f.toPath()));
    synchronized (this) {
      state = loaded;
      setLastAppliedTermIndex(ti);
    }
    LOG.info("loaded journal snapshot at {}:{}", ti.getTerm(), ti.getIndex());
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    leaderListeners.forEach(Runnable::run);
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    leaderListeners.forEach(Runnable::run);
  }

  @Override
  public void notifyLeaderReady() {
    leaderListeners.forEach(Runnable::run);
  }
}
