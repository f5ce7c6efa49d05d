package io.pharos.controller.raft;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's members as Raft knows them (which win over the config file): a configuration change
 * through the log, and the warning when the config file has drifted from them.
 */
final class RaftMembership {
  private static final Logger LOG = LoggerFactory.getLogger(RaftMembership.class);

  private final ControllersConfig controllers;
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final Parameters parameters;

  RaftMembership(ControllersConfig controllers, RaftGroupId groupId, RaftPeerId selfId, Parameters parameters) {
    this.controllers = controllers;
    this.groupId = groupId;
    this.selfId = selfId;
    this.parameters = parameters;
  }

  /**
   * Changes the members (Raft configuration change, committed through the log). Blocking; the
   * caller checks that this controller is the acting leader.
   */
  void setMembers(Collection<RaftPeer> current, List<ControllerPeer> members) throws IOException {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(groupId, current))
        .setProperties(p).setParameters(parameters).setLeaderId(selfId)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(500, TimeUnit.MILLISECONDS))).build()) {
      RaftClientReply reply = client.admin().setConfiguration(RaftSettings.peers(members));
      if (!reply.isSuccess()) {
        throw new IOException("the configuration change was not committed: " + reply.getException());
      }
    }
  }

  /** Logs how the config file's peers differ from the running group's, if they do. */
  void warnOnConfigDrift(Collection<RaftPeer> current) {
    List<String> diffs = configDrift(controllers, current);
    if (!diffs.isEmpty()) {
      LOG.warn("the config's controllers.peers differ from the Raft group's members, which win: {}",
          String.join("; ", diffs));
    }
  }

  /** Differences between Raft's current members and the config. */
  static List<String> configDrift(ControllersConfig controllers, Collection<RaftPeer> current) {
    Map<String, String> running = new TreeMap<>();
    for (RaftPeer rp : current) {
      running.put(rp.getId().toString(), rp.getAddress());
    }
    return new ArrayList<>(StorageGuard.peerDifferences(StorageGuard.peers(controllers), running));
  }
}
