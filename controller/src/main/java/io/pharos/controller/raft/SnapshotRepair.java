package io.pharos.controller.raft;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.journal.JournalCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a controller with existing storage starts its Raft server: a snapshot that cannot be read
 * (truncated, an MD5 mismatch, missing its MD5 file) no longer keeps it from starting (issue 15,
 * defect 5). The unreadable snapshot is moved aside ({@link SnapshotFiles#CORRUPT}) and the
 * controller recovers:
 * <ul>
 *   <li>from its own log (replay), when an older good snapshot - or none - and the log together
 *       still cover every committed entry;</li>
 *   <li>otherwise from a peer: another controller's applied state and its (term, index), asked over
 *       the authenticated Raft channel, written as this controller's snapshot (what a Raft
 *       install-snapshot would give it). Its votes (raft-meta) are never touched, nor anything it
 *       acknowledged: a state at an index its log holds is taken only when its own entry there has
 *       the same term (so the logs agree up to there); a state past its whole log covers every entry
 *       it ever acknowledged, and its log is then moved aside;</li>
 *   <li>and when no peer can give a recent enough state, start-up stops saying what to do.</li>
 * </ul>
 */
final class SnapshotRepair {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRepair.class);
  private static final long ASK_TIMEOUT_MS = 5_000;

  /** A peer's applied state: what it answered to {@link JournalStateMachine#STATE_QUERY}. */
  record PeerState(long term, long index, byte[] state) {}

  /** Asks one peer for its applied state. */
  interface Peers {
    PeerState ask(ControllerPeer peer) throws IOException;
  }

  private SnapshotRepair() {}

  /**
   * @param groupDir this controller's Raft storage of the group ({@code <storage>/<group uuid>})
   * @param others the other controllers, asked in order when the local log cannot fill the gap
   * @throws RaftStartException when the state cannot be recovered
   */
  static void check(Path groupDir, String selfId, List<ControllerPeer> others, Peers peers, ErrorCounter errors) {
    Path sm = groupDir.resolve("sm");
    try {
      List<SnapshotFiles.Snapshot> snapshots = SnapshotFiles.list(sm);
      long lost = -1;
      long good = -1;
      for (SnapshotFiles.Snapshot s : snapshots) {
        String problem = SnapshotFiles.problem(s);
        if (problem == null) {
          good = s.index();
          break;
        }
        errors.count("raft.snapshot-unreadable");
        LOG.error("controller {}: journal snapshot {} cannot be read ({}); moved aside as {}{}", selfId, s.file(),
            problem, s.file().getFileName(), SnapshotFiles.CORRUPT);
        SnapshotFiles.quarantine(s);
        lost = Math.max(lost, s.index());
      }
      if (lost < 0) {
        return;
      }
      LocalLog log = new LocalLog(groupDir);
      long logStart = log.start().orElse(lost + 1);
      if (good + 1 >= logStart) {
        LOG.warn("controller {}: recovering its journal from {} and its own log (entries from {})", selfId,
            good < 0 ? "the initial state" : "the snapshot at index " + good, logStart);
        return;
      }
      // the log was purged past what is left: entries good+1 .. logStart-1 exist only at the peers
      for (ControllerPeer peer : others) {
        PeerState answer;
        try {
          answer = peers.ask(peer);
        } catch (IOException | RuntimeException e) {
          errors.count("raft.snapshot-repair");
          LOG.warn("controller {}: peer {} did not give its journal state ({})", selfId, peer.id(), e.toString());
          continue;
        }
        if (answer.index() + 1 < logStart) {
          LOG.warn("controller {}: peer {} is at index {}, behind this log's start {}", selfId, peer.id(),
              answer.index(), logStart);
          continue;
        }
        long last = log.last().orElse(-1);
        if (answer.index() <= last && log.termAt(answer.index()).orElse(-1) != answer.term()) {
          // the same term at the same index means the same log up to there (Raft's log matching);
          // otherwise this log holds entries there that were never committed
          LOG.warn("controller {}: peer {}'s state at {}:{} does not match this log's entry there", selfId,
              peer.id(), answer.term(), answer.index());
          continue;
        }
        JournalCodec.decodeState(answer.state());
        Files.createDirectories(sm);
        SnapshotFiles.writeDurably(sm.resolve("snapshot." + answer.term() + "_" + answer.index()).toFile(),
            answer.state());
        if (answer.index() > last) {
          // every entry this controller ever acknowledged is at or below its last index, so within the
          // committed state it now has: its log is moved aside whole (Ratis cannot append after a
          // snapshot newer than an open segment), its votes (raft-meta) stay
          Path aside = groupDir.resolve("log-replaced-" + System.currentTimeMillis());
          log.moveAside(aside);
          LOG.warn("controller {}: its log (up to index {}) is behind the recovered state and was moved to {}",
              selfId, last, aside);
        }
        LOG.warn("controller {}: recovered its journal state at {}:{} from peer {}", selfId, answer.term(),
            answer.index(), peer.id());
        return;
      }
      throw new RaftStartException("controller " + selfId + " lost its journal snapshot (index " + lost + ") and its"
          + " log no longer holds the entries before index " + logStart + ", and no peer gave a recent enough state."
          + " Start it again once a majority of the controllers runs, or replace its storage: docs/runbooks.md,"
          + " 'Replacing a controller's storage'.", null);
    } catch (IOException e) {
      throw new RaftStartException("cannot check the journal snapshots under " + sm + ": " + e.getMessage(), e);
    }
  }

  /** Asks over Raft (a stale read answered by the peer's state machine), a few seconds per peer. */
  static Peers overRaft(RaftGroup group, Parameters parameters) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    return peer -> {
      try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setParameters(parameters)
          .setRetryPolicy(RetryPolicies.noRetry()).build()) {
        RaftClientReply reply = client.async().sendStaleRead(Message.valueOf(JournalStateMachine.STATE_QUERY), 0,
            RaftPeerId.valueOf(peer.id())).get(ASK_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
        if (!reply.isSuccess()) {
          throw new IOException("query failed: " + reply.getException());
        }
        JsonNode n = JournalCodec.mapper().readTree(reply.getMessage().getContent().toString(StandardCharsets.UTF_8));
        return new PeerState(n.get("term").asLong(), n.get("index").asLong(),
            Base64.getDecoder().decode(n.get("state").asText()));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    };
  }
}
