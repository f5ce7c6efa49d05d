package io.pharos.controller.raft;

import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
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
 * running group refuses to join and names the difference; unreachable peers are only logged and
 * counted (the group may be starting together). Over mutual TLS a running peer refuses the
 * handshake of a controller that is not a member of its group (or whose certificate or CA does not
 * match): that also stops the start, saying so.
 */
final class GroupCheck {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCheck.class);

  /**
   * What a peer answered.
   *
   * @param groups the Raft groups it serves
   * @param members id to address of the members of ours, when it serves it
   */
  record Answer(List<RaftGroupId> groups, Map<String, String> members) {}

  /** Asks one peer; fails when it does not answer. */
  interface Peers {
    Answer ask(ControllerPeer peer) throws IOException;
  }

  /** The TLS handshake with a peer failed: it refused this controller's certificate, or this one refused its. */
  static final class TlsRefused extends IOException {
    TlsRefused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private GroupCheck() {}

  /** @throws RaftStartException naming the difference, when a peer runs another group or other members */
  static void refuseIfRunningGroupDiffers(ControllersConfig controllers, String selfId, RaftGroupId groupId,
      Peers peers, ErrorCounter errors) {
    Map<String, String> configured = StorageGuard.peers(controllers);
    for (ControllerPeer peer : controllers.peers()) {
      if (peer.id().equals(selfId)) {
        continue;
      }
      Answer answer;
      try {
        answer = peers.ask(peer);
      } catch (TlsRefused e) {
        throw new RaftStartException("peer " + peer.id() + " at " + peer.raft() + " and controller " + selfId
            + " did not accept each other's certificate (" + e.getMessage() + "). Either " + selfId + " is not a member"
            + " of the running group yet - add it with --join and a membership change (docs/runbooks.md, 'Replacing a"
            + " controller') - or its certificate or controllers.tls.caFile does not match the group's"
            + " (docs/security/raft.md).", e);
      } catch (IOException | RuntimeException e) {
        errors.count("raft.group-check");
        LOG.info("peer {} at {} did not answer at start ({}); starting anyway", peer.id(), peer.raft(),
            e.getClass().getSimpleName());
        continue;
      }
      if (answer.groups().isEmpty()) {
        continue;
      }
      if (!answer.groups().contains(groupId)) {
        throw new RaftStartException("peer " + peer.id() + " at " + peer.raft() + " serves Raft group(s) "
            + answer.groups() + ", not this config's group '" + controllers.group() + "' (" + groupId + "). Check"
            + " controllers.group: every controller of one Raft group must name the same group.", null);
      }
      List<String> diffs = StorageGuard.peerDifferences(configured, answer.members());
      if (!diffs.isEmpty()) {
        throw new RaftStartException("controller " + selfId + " is configured with a different peer set than the"
            + " running group (asked " + peer.id() + "): " + String.join("; ", diffs) + ". Refusing to join. Add a"
            + " controller with `pharos controllers` membership change (docs/runbooks.md), and make every"
            + " config list the same peers.", null);
      }
      return;
    }
  }

  /** Asks over Raft's group management API, one second per peer, no retry. */
  static Peers overRaft(RaftGroup group, Parameters parameters) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    return peer -> {
      try {
        return ask(group, parameters, p, peer);
      } catch (IOException | RuntimeException e) {
        Throwable tls = tlsFailure(e);
        if (tls != null) {
          throw new TlsRefused(tls.getMessage(), e);
        }
        throw e;
      }
    };
  }

  /** The TLS failure somewhere in {@code e}'s causes, or null. */
  static Throwable tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
        return t;
      }
    }
    return null;
  }

  private static Answer ask(RaftGroup group, Parameters parameters, RaftProperties p, ControllerPeer peer)
      throws IOException {
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setParameters(parameters)
        .setRetryPolicy(RetryPolicies.noRetry()).build()) {
      RaftPeerId id = RaftPeerId.valueOf(peer.id());
      List<RaftGroupId> groups = client.getGroupManagementApi(id).list().getGroupIds();
      Map<String, String> running = new TreeMap<>();
      if (groups.contains(group.getGroupId())) {
        GroupInfoReply info = client.getGroupManagementApi(id).info(group.getGroupId());
        for (RaftPeer rp : info.getGroup().getPeers()) {
          running.put(rp.getId().toString(), rp.getAddress());
        }
      }
      return new Answer(groups, running);
    }
  }
}
