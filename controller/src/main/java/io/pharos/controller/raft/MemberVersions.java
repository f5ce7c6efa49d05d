package io.pharos.controller.raft;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which journal format version each member reads, as the leader learns it: a stale read (Ratis's
 * read-only query to one server, over the same authenticated channel as the log) answered by that
 * member's state machine. Answers are kept for the term they were asked in; a member that does
 * not answer is asked again at the next proposal that needs it (and counts as the base version
 * meanwhile). Asked only before an entry newer than the base version, so the common path costs
 * nothing.
 */
final class MemberVersions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberVersions.class);
  private static final long ASK_TIMEOUT_MS = 1_000;

  private final RaftGroupId groupId;
  private final String selfId;
  private final int selfVersion;
  private final Parameters parameters;
  private final ErrorCounter errors;
  private final Map<String, Integer> known = new ConcurrentHashMap<>();
  private final ExecutorService asker = DaemonThreads.single("pharos-raft-versions");
  private long knownInTerm = -1;

  MemberVersions(RaftGroupId groupId, String selfId, int selfVersion, Parameters parameters, ErrorCounter errors) {
    this.groupId = groupId;
    this.selfId = selfId;
    this.selfVersion = selfVersion;
    this.parameters = parameters;
    this.errors = errors;
  }

  /** Member id to the version it said it reads, for those that answered (this one included). Never fails. */
  synchronized CompletableFuture<Map<String, Integer>> known(long term, Collection<RaftPeer> members) {
    if (term != knownInTerm) {
      known.clear();
      knownInTerm = term;
    }
    known.put(selfId, selfVersion);
    List<RaftPeer> unknown = members.stream().filter(p -> !known.containsKey(p.getId().toString())).toList();
    if (unknown.isEmpty()) {
      return CompletableFuture.completedFuture(Map.copyOf(known));
    }
    return CompletableFuture.supplyAsync(() -> {
      ask(members, unknown);
      return Map.copyOf(known);
    }, asker);
  }

  private void ask(Collection<RaftPeer> members, List<RaftPeer> unknown) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(groupId, members))
        .setProperties(p).setParameters(parameters)
        .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.noRetry()).build()) {
      List<CompletableFuture<Void>> asks = new ArrayList<>();
      for (RaftPeer peer : unknown) {
        String id = peer.getId().toString();
        asks.add(client.async().sendStaleRead(Message.valueOf(JournalStateMachine.FORMAT_VERSION_QUERY), 0,
            peer.getId()).orTimeout(ASK_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS).thenAccept(r -> known.put(id,
                version(r))).exceptionally(e -> {
                  errors.record(LOG, "raft.member-version", "controller " + id + " did not say which journal"
                      + " format it reads (assumed the base version)", e);
                  return null;
                }));
      }
      CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).join();
    } catch (java.io.IOException | RuntimeException e) {
      errors.record(LOG, "raft.member-version", "could not ask the controllers which journal format they read", e);
    }
  }

  private static int version(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new IllegalStateException("query failed: " + reply.getException());
    }
    return Integer.parseInt(reply.getMessage().getContent().toString(StandardCharsets.UTF_8).trim());
  }

  @Override
  public void close() {
    asker.shutdownNow();
  }
}
