package io.pharos.controller.raft;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.HostPort;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;

/**
 * Who may speak on the Raft port: the controllers this one knows, each by id and Raft host. That
 * is the configured peers, the group's members as Raft knows them (a membership change can add a
 * controller the config file does not name yet), and the controllers a membership change in
 * progress is adding. {@link PeerTrustManager} accepts a certificate only when it names one of
 * them (docs/security/raft.md).
 */
final class PeerIdentities {
  private final Map<String, String> configured = new ConcurrentHashMap<>();
  private final Map<String, String> adding = new ConcurrentHashMap<>();
  private volatile Supplier<Collection<RaftPeer>> members = List::of;

  PeerIdentities(Collection<ControllerPeer> peers) {
    peers.forEach(p -> configured.put(p.id(), p.raft().host()));
  }

  /** Also trusts the group's members as Raft knows them (read at every handshake). */
  void watch(Supplier<Collection<RaftPeer>> groupMembers) {
    this.members = groupMembers;
  }

  /** Trusts the controllers a membership change is about to add. */
  void allow(Collection<ControllerPeer> peers) {
    peers.forEach(p -> adding.put(p.id(), p.raft().host()));
  }

  /** The Raft host of controller {@code id}, if it is one this controller knows. */
  Optional<String> hostOf(String id) {
    String h = configured.get(id);
    if (h == null) {
      h = adding.get(id);
    }
    if (h == null) {
      for (RaftPeer p : currentMembers()) {
        if (p.getId().toString().equals(id) && p.getAddress() != null) {
          return Optional.of(HostPort.parse(p.getAddress()).host());
        }
      }
    }
    return Optional.ofNullable(h);
  }

  /** Every known id, for messages. */
  Collection<String> ids() {
    TreeSet<String> ids = new TreeSet<>(configured.keySet());
    ids.addAll(adding.keySet());
    currentMembers().forEach(p -> ids.add(p.getId().toString()));
    return ids;
  }

  private Collection<RaftPeer> currentMembers() {
    try {
      return members.get();
    } catch (RuntimeException e) {
      // no division yet (before the server starts) or it is closing: the configured peers remain
      return List.of();
    }
  }
}
