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
import java.util.concurrent.ScheduledExecutorService;
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
 * Which journal format version each member reads: a stale read (Ratis's read-only query to one
 * server, over the same authenticated channel as the log) answered by that member's state machine.
 * Every controller (not only the leader) asks every member shortly after it starts and then every
 * {@link #REFRESH_MS}, and keeps each member's last answer: a member that is down, frozen or cut off
 * right now keeps the version it last said it reads, so one unreachable controller does not hold
 * back every newer entry while it is away (measured: a frozen controller blocked the approval
 * entries of a short-evidence decision). A member never heard from counts as the base version and
 * is asked again before a proposal that needs it. A member restarted on an older build is learned
 * at the next refresh; an entry it cannot read in between stops that replica (fail-stop, never a
 * skipped entry): roll a controller back one at a time, a refresh apart (docs/runbooks.md).
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
  private final ScheduledExecutorService asker = DaemonThreads.single("pharos-raft-versions");
  static final long REFRESH_MS = 30_000;

  MemberVersions(RaftGroupId groupId, String selfId, int selfVersion, Parameters parameters, ErrorCounter errors) {
    this.groupId = groupId;
    this.selfId = selfId;
    this.selfVersion = selfVersion;
    this.parameters = parameters;
    this.errors = errors;
  }

  /** Asks every member now (after a short delay for the group to form) and every {@link #REFRESH_MS}. */
  void start(java.util.function.Supplier<Collection<RaftPeer>> members) {
    asker.scheduleWithFixedDelay(() -> {
      try {
        Collection<RaftPeer> all = members.get();
        if (!all.isEmpty()) {
          ask(all, all.stream().filter(p -> !p.getId().toString().equals(selfId)).toList());
        }
      } catch (RuntimeException e) {
        errors.record(LOG, "raft.member-version", "could not refresh which journal format the controllers read", e);
      }
    }, 2_000, REFRESH_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Member id to the version it last said it reads, for those that ever answered (this one
   * included); members never heard from are asked first. Never fails.
   */
  synchronized CompletableFuture<Map<String, Integer>> known(Collection<RaftPeer> members) {
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
        // min index -1: the answer is about the member's build, not its log, so a member that has not
        // committed anything yet answers too
        asks.add(client.async().sendStaleRead(Message.valueOf(JournalStateMachine.FORMAT_VERSION_QUERY), -1,
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
