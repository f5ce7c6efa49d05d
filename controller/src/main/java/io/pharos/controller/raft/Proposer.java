package io.pharos.controller.raft;

import io.pharos.controller.DaemonThreads;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * How a controller proposes a journal entry to its own Raft server: the format gate, the threads,
 * the timeout (ADR 0005).
 *
 * <ul>
 *   <li>An entry newer than the base format is proposed only when every member that applies the
 *       log said it reads that version ({@link MemberVersions}); otherwise it fails before anything
 *       is committed.
 *   <li>Ratis 3.3's submit blocks its caller until the entry is appended (it joins a task on its own
 *       client executor). Measured: when a reply's callback proposed the next entry (an operator
 *       call's audit record), Ratis's StateMachineUpdater blocked 8–11 ms per entry there and every
 *       commit waited behind it — 16 concurrent operator calls were committed one at a time, 42/s.
 *       So proposals are handed to one thread of their own (proposals one caller makes one after
 *       another are appended in that order), and replies, failures too, complete on a pool of their
 *       own, never on Ratis's threads, the submitter or the timer.
 *   <li>A proposal fails {@link #PROPOSAL_TIMEOUT_MS} after its append (a leader cut off from its
 *       majority cannot commit); time queued behind other proposals does not count, so an entry is
 *       never committed after its caller gave up on it.
 * </ul>
 */
final class Proposer implements AutoCloseable {
  /** A leader cut off from its majority cannot commit: a proposal fails after this long. */
  static final long PROPOSAL_TIMEOUT_MS = 5_000;

  /** Every member that applies the log now (voters of both halves of a change, and listeners). */
  @FunctionalInterface
  interface Appliers {
    List<RaftPeer> get() throws IOException;
  }

  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final MemberVersions versions;
  private final Appliers appliers;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();
  private final ExecutorService submitter = DaemonThreads.single("pharos-raft-submit");
  private final ExecutorService replies = DaemonThreads.cached("pharos-raft-reply", 30);

  Proposer(RaftGroupId groupId, RaftPeerId selfId, MemberVersions versions, Appliers appliers) {
    this.groupId = groupId;
    this.selfId = selfId;
    this.versions = versions;
    this.appliers = appliers;
  }

  CompletableFuture<Proposal> propose(RaftServer server, JournalEntry entry, int formatVersion) {
    if (formatVersion <= JournalCodec.BASE_VERSION) {
      return submit(server, entry, formatVersion);
    }
    List<RaftPeer> members;
    try {
      members = appliers.get();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new NotLeaderException("cannot read the members: " + e.getMessage()));
    }
    List<String> readers = GroupFormat.readers(entry, members.stream().map(p -> p.getId().toString()).toList());
    List<RaftPeer> asked = members.stream().filter(p -> readers.contains(p.getId().toString())).toList();
    return versions.known(asked).thenCompose(known -> {
      GroupFormat.check(formatVersion, readers, known);
      return submit(server, entry, formatVersion);
    });
  }

  private CompletableFuture<Proposal> submit(RaftServer server, JournalEntry entry, int formatVersion) {
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(selfId)
        .setGroupId(groupId).setCallId(callId.incrementAndGet())
        .setMessage(Message.valueOf(ByteString.copyFrom(JournalCodec.encode(entry, formatVersion))))
        .setType(RaftClientRequest.writeRequestType()).build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = CompletableFuture.supplyAsync(() -> {
        try {
          return server.submitClientRequestAsync(request);
        } catch (IOException e) {
          throw new CompletionException(new NotLeaderException("cannot submit: " + e.getMessage()));
        }
      }, submitter).thenCompose(r -> r.orTimeout(PROPOSAL_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(new NotLeaderException("the Raft server is closing"));
    }
    return reply.handleAsync((r, err) -> {
      if (err != null) {
        throw err instanceof CompletionException c ? c : new CompletionException(err);
      }
      if (!r.isSuccess()) {
        Exception ex = r.getException();
        throw new NotLeaderException(ex == null ? "not committed" : ex.getClass().getSimpleName() + ": "
            + ex.getMessage());
      }
      try {
        return JournalStateMachine.proposal(r.getMessage());
      } catch (IOException e) {
        throw new IllegalStateException("unreadable reply from the state machine", e);
      }
    }, this::reply);
  }

  /** Runs a reply's completion on {@link #replies}; on the completing thread once that pool is shut down. */
  private void reply(Runnable completion) {
    try {
      replies.execute(completion);
    } catch (RejectedExecutionException closed) {
      completion.run();
    }
  }

  /** After the server closed: proposals still queued run against it and fail; their replies complete. */
  @Override
  public void close() {
    submitter.shutdown();
    replies.shutdown();
  }
}
