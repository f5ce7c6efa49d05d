package io.pharos.controller.raft;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** The Raft group and server properties a controller starts with, each with the measurement behind it. */
final class RaftSettings {
  /** The acting leader's lease, as a fraction of the minimum election timeout (Ratis's own ratio too). */
  static final double LEASE_RATIO = 0.9;

  private RaftSettings() {}

  /** The Raft group id is derived from the group name, so every controller of a group agrees. */
  static RaftGroupId groupId(String group) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("pharos:" + group).getBytes(StandardCharsets.UTF_8)));
  }

  /** The configured group: its id and every configured peer. */
  static RaftGroup group(ControllersConfig controllers) {
    return RaftGroup.valueOf(groupId(controllers.group()), peers(controllers.peers()));
  }

  static List<RaftPeer> peers(List<ControllerPeer> members) {
    List<RaftPeer> peers = new ArrayList<>();
    for (ControllerPeer p : members) {
      peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.raft().toString()).build());
    }
    return peers;
  }

  static long leaseMs(ControllersConfig controllers) {
    return (long) (controllers.electionTimeoutMin().toMillis() * LEASE_RATIO);
  }

  static RaftProperties server(ControllersConfig controllers, ControllerPeer self, Path storageDir) {
    RaftProperties p = new RaftProperties();
    GrpcConfigKeys.Server.setHost(p, self.raft().host());
    GrpcConfigKeys.Server.setPort(p, self.raft().port());
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
    long min = controllers.electionTimeoutMin().toMillis();
    long max = controllers.electionTimeoutMax().toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(min, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(max, TimeUnit.MILLISECONDS));
    // a cold start on busy cores delays the first heartbeats: give the first election more room
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(min * 3, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(max * 3, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    // a leader that lost its majority's heartbeats does not campaign for this long (Ratis: 10 s). At
    // 5 s it cost a whole leader failover (measured: a new leader stepped down under load after 1 s,
    // the survivor's log was behind so only the stepped-down one could win, and it sat out 5 s).
    // Pre-vote already keeps a cut-off controller from disrupting the others: one election timeout.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(max, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(p, LEASE_RATIO);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 2_000);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // measured (docs/adr/0005): the defaults add a metadata entry (replicated and fsynced) after
    // every commit and chain each follower append behind the previous fsync; both off took a
    // commit on loopback from ~12 ms to ~4 ms p50 without weakening fsync durability
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    // the default retries a follower that was down every 5 s after 20 s: a controller restarted
    // after that waited up to 5 s for its leader (measured, leader-failover bench), campaigning in
    // the meantime. 300 ms (randomised by Ratis) costs a refused connect per follower on loopback.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,20, 300ms,1000000000");
    return p;
  }
}
