package io.pharos.controller.raft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.AppliedEntry;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.JournalReplica;
import io.pharos.core.journal.Proposal;
import io.pharos.core.journal.UnappliableEntryException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
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
 * The decision journal's Raft state machine: applies committed entries to this controller's
 * {@link JournalReplica} (the logic every journal shares), snapshots the state as JSON, and
 * answers the leader's question which entry format version it reads ({@link #FORMAT_VERSION_QUERY}).
 */
final class JournalStateMachine extends BaseStateMachine {
  /** The read-only query a member answers with the newest journal format version it reads. */
  static final String FORMAT_VERSION_QUERY = "format-version";
  /**
   * The read-only query a member answers with its applied state and where it is ({@code term},
   * {@code index}, {@code state}): what a controller whose snapshot was lost recovers from
   * ({@link SnapshotRepair}). Asked only over the controllers' authenticated Raft channel.
   */
  static final String STATE_QUERY = "applied-state";
  private static final Logger LOG = LoggerFactory.getLogger(JournalStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ControlState initial;
  private final JournalReplica replica;
  private final ErrorCounter errors;
  private volatile Halt halt;
  private volatile java.util.function.Consumer<Halt> onHalt = h -> { };

  JournalStateMachine(ControlState initial, int supportedVersion, ErrorCounter errors) {
    this.initial = initial;
    this.errors = errors;
    this.replica = new JournalReplica(initial, supportedVersion, e -> {
      errors.count("journal.listener");
      LOG.error("journal listener failed", e);
    });
  }

  JournalReplica replica() {
    return replica;
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

  /**
   * The leader's check before it appends a client's entry: it must be an entry this build reads
   * and applying it to the current state must not throw ({@link JournalReplica#vet}). Refused
   * here, nothing is committed, and the proposer is told why.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    try {
      replica.vet(replica.read(request.getMessage().getContent().toByteArray()));
    } catch (IOException | RuntimeException e) {
      errors.count("raft.entry-refused");
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      LOG.warn("refused to append a journal entry from client {}: {}", request.getClientId(), why);
      throw new IOException("journal entry refused before it was appended: " + why, e);
    }
    return super.startTransaction(request);
  }

  /**
   * Applies a committed entry. An entry this replica cannot apply stops it for good ({@link
   * #halted}): the exception is thrown, not returned in a future, because Ratis 3.3's
   * StateMachineUpdater only logs a failed future and advances its applied index (the replica
   * would go on without the entry and drift), while a thrown exception stops the updater and
   * closes the Raft server before the index advances. Nothing after it is applied, no snapshot
   * goes past it, and a restart stops at the same entry again.
   */
  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    Halt h = halt;
    if (h != null) {
      throw new IllegalStateException("this replica stopped at " + h.term() + ":" + h.index() + " and applies nothing"
          + " after it");
    }
    AppliedEntry applied;
    JournalEntry e;
    try {
      try {
        e = replica.read(entry.getStateMachineLogEntry().getLogData().toByteArray());
      } catch (IOException ex) {
        throw new UnappliableEntryException(term, index, ex.getMessage(), ex);
      }
      synchronized (replica) {
        applied = replica.apply(e, term, index);
        updateLastAppliedTermIndex(term, index);
      }
    } catch (UnappliableEntryException ex) {
      stop(new Halt(term, index, ex.getMessage()), ex);
      throw ex;
    }
    if (!applied.result().accepted()) {
      LOG.info("journal refused {} at {}:{}: {}", e.getClass().getSimpleName(), term, index,
          applied.result().detail());
    }
    replica.announce(applied);
    return CompletableFuture.completedFuture(reply(Proposal.of(applied)));
  }

  private void stop(Halt h, UnappliableEntryException cause) {
    halt = h;
    errors.count("raft.unappliable-entry");
    LOG.error("{}. Stopping this controller's Raft replica for good rather than going on without the entry (its"
        + " state would drift from the other controllers'). If it is of a newer format, upgrade this controller to the"
        + " version the others run; otherwise keep this log and see docs/runbooks.md, 'A controller exited with code"
        + " 72'.", cause.getMessage(), cause);
    onHalt.accept(h);
  }

  /** Where this replica stopped for good, if it did. */
  Halt halted() {
    return halt;
  }

  /** Told once when this replica stops at an entry it cannot apply (from the applying thread). */
  void onHalt(java.util.function.Consumer<Halt> listener) {
    this.onHalt = listener;
  }

  /** This replica stopped at the committed entry (term, index) for {@code reason}. */
  record Halt(long term, long index, String reason) {}

  @Override
  public CompletableFuture<Message> query(Message request) {
    String q = request.getContent().toString(StandardCharsets.UTF_8);
    if (FORMAT_VERSION_QUERY.equals(q)) {
      return CompletableFuture.completedFuture(Message.valueOf(String.valueOf(replica.supportedVersion())));
    }
    if (STATE_QUERY.equals(q)) {
      return CompletableFuture.completedFuture(stateMessage());
    }
    return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query '" + q + "'"));
  }

  /** This replica's applied state with its (term, index), read together. */
  private Message stateMessage() {
    TermIndex at;
    ControlState copy;
    synchronized (replica) {
      at = getLastAppliedTermIndex();
      copy = replica.state();
    }
    ObjectNode n = JournalCodec.mapper().createObjectNode();
    n.put("term", at == null ? -1 : at.getTerm()).put("index", at == null ? -1 : at.getIndex());
    n.put("state", java.util.Base64.getEncoder().encodeToString(JournalCodec.encodeState(copy)));
    return Message.valueOf(n.toString());
  }

  static Message reply(Proposal p) {
    ObjectNode n = JournalCodec.mapper().createObjectNode();
    n.put("accepted", p.accepted()).put("detail", p.detail()).put("term", p.term()).put("index", p.index());
    return Message.valueOf(n.toString());
  }

  static Proposal proposal(Message reply) throws IOException {
    JsonNode json = JournalCodec.mapper().readTree(reply.getContent().toByteArray());
    return new Proposal(json.get("accepted").asBoolean(), json.get("detail").asText(), json.get("term").asLong(),
        json.get("index").asLong());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last;
    ControlState copy;
    synchronized (replica) {
      last = getLastAppliedTermIndex();
      copy = replica.state();
    }
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    // durable before returning: Ratis purges the log up to this index as soon as we return
    MD5Hash md5 = SnapshotFiles.writeDurably(file, JournalCodec.encodeState(copy));
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    return last.getIndex();
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      replica.restore(initial);
      return;
    }
    File f = snapshot.getFile().getPath().toFile();
    if (snapshot.getFile().getFileDigest() != null) {
      // the content's MD5 against the stored one (given the stored one, it would compare it with itself)
      MD5FileUtil.verifySavedMD5(f, MD5FileUtil.computeMd5ForFile(f));
    }
    TermIndex ti = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(f);
    ControlState loaded = JournalCodec.decodeState(Files.readAllBytes(f.toPath()));
    synchronized (replica) {
      replica.restore(loaded);
      setLastAppliedTermIndex(ti);
    }
    LOG.info("loaded journal snapshot at {}:{}", ti.getTerm(), ti.getIndex());
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    replica.leadershipChanged();
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    replica.leadershipChanged();
  }

  @Override
  public void notifyLeaderReady() {
    replica.leadershipChanged();
  }
}
