package io.pharos.controller.raft;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;

/**
 * The acting leader's lease: leader, ready (it has applied its own term's first entry) and a
 * majority of the group, itself included, answered within the lease window. Ratis keeps its own
 * lease private; this is the same rule measured from outside. The majority is Raft's (which wins
 * over the config file), in both halves of a membership change.
 */
final class LeaderLease {
  private final String selfId;
  private final long leaseMs;

  LeaderLease(String selfId, long leaseMs) {
    this.selfId = selfId;
    this.leaseMs = leaseMs;
  }

  boolean holds(DivisionInfo info, RaftConfiguration conf) {
    if (!info.isLeader() || !info.isLeaderReady()) {
      return false;
    }
    RoleInfoProto role = info.getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return false;
    }
    Set<String> fresh = new HashSet<>();
    fresh.add(selfId);
    for (var f : role.getLeaderInfo().getFollowerInfoList()) {
      if (f.getLastRpcElapsedTimeMs() < leaseMs) {
        fresh.add(f.getId().getId().toStringUtf8());
      }
    }
    return holds(fresh, ids(conf.getCurrentPeers()), ids(conf.getPreviousPeers()));
  }

  /** Pure: whether the members heard from within the lease are a majority of both halves. */
  static boolean holds(Set<String> fresh, Collection<String> current, Collection<String> previous) {
    return majority(current, fresh) && (previous.isEmpty() || majority(previous, fresh));
  }

  /** Follower id to milliseconds since its last answer, when {@code info} leads. */
  static Map<String, Long> followerLastContact(DivisionInfo info) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    if (info.isLeader() && info.getRoleInfoProto().hasLeaderInfo()) {
      for (var f : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
        out.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
      }
    }
    return out;
  }

  private static boolean majority(Collection<String> voters, Set<String> fresh) {
    long heard = voters.stream().filter(fresh::contains).count();
    return heard * 2 > voters.size();
  }

  private static Collection<String> ids(Collection<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).toList();
  }
}
