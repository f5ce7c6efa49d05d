package io.pharos.controller.quorum;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.GroupListReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a new controller joins, asks the peers it can reach which Raft group they serve and with
 * which members. A controller whose config names another group, or another member set, than the
 * running group refuses to join and names the difference; unreachable peers are only logged (the
 * group may be starting together).
 */
final class GroupCheck {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCheck.class);

  private GroupCheck() {}

  static void refuseIfRunningGroupDiffers(ControllersConfig controllers, String selfId, RaftGroup group,
      org.apache.ratis.conf.Parameters parameters) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    Map<String, String> configured = StorageGuard.peers(controllers);
    for (ControllerPeer peer : controllers.peers()) {
      if (peer.id().equals(selfId)) {
        continue;
      }
      try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setParameters(parameters)
          .setRetryPolicy(RetryPolicies.noRetry()).build()) {
        RaftPeerId id = RaftPeerId.valueOf(peer.id());
        GroupListReply list = client.getGroupManagementApi(id).list();
        List<RaftGroupId> groups = list.getGroupIds();
        if (!groups.isEmpty() && !groups.contains(group.getGroupId())) {
          throw new QuorumStartException("peer " + peer.id() + " at " + peer.raft() + " serves Raft group(s) " + groups
              + ", not this config's group '" + controllers.group() + "' (" + group.getGroupId() + "). Check"
              + " controllers.group: every controller of one quorum must name the same group.", null);
        }
        if (groups.isEmpty()) {
          continue;
        }
        GroupInfoReply info = client.getGroupManagementApi(id).info(group.getGroupId());
        Map<String, String> running = new TreeMap<>();
        for (RaftPeer rp : info.getGroup().getPeers()) {
          running.put(rp.getId().toString(), rp.getAddress());
        }
        List<String> diffs = StorageGuard.peerDifferences(configured, running);
        if (!diffs.isEmpty()) {
          throw new QuorumStartException("controller " + selfId + " is configured with a different peer set than the"
              + " running group (asked " + peer.id() + "): " + String.join("; ", diffs) + ". Refusing to join. Add a"
              + " controller with `pharos controllers` membership change (docs/runbooks.md), and make every"
              + " config list the same peers.", null);
        }
        return;
      } catch (IOException | RuntimeException e) {
        if (e instanceof QuorumStartException q) {
          throw q;
        }
        LOG.info("peer {} at {} did not answer at start ({}); starting anyway", peer.id(), peer.raft(),
            e.getClass().getSimpleName());
      }
    }
  }

  /** Differences between Raft's current members and the config, for a warning. */
  static List<String> configDrift(ControllersConfig controllers, List<RaftPeer> current) {
    Map<String, String> running = new TreeMap<>();
    for (RaftPeer rp : current) {
      running.put(rp.getId().toString(), rp.getAddress());
    }
    return new ArrayList<>(StorageGuard.peerDifferences(StorageGuard.peers(controllers), running));
  }
}
