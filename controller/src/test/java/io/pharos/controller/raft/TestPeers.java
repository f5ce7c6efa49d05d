package io.pharos.controller.raft;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.proc.Ports;
import java.util.ArrayList;
import java.util.List;

/** Controller peers for Raft-only tests: a free Raft port each; the other addresses are never used. */
final class TestPeers {
  private TestPeers() {}

  static List<ControllerPeer> onFreePorts(String... ids) {
    List<ControllerPeer> peers = new ArrayList<>();
    for (String id : ids) {
      peers.add(at(id, Ports.free()));
    }
    return peers;
  }

  static ControllerPeer at(String id, int raftPort) {
    return new ControllerPeer(id, "a", HostPort.parse("127.0.0.1:" + raftPort), HostPort.parse("127.0.0.1:1"),
        HostPort.parse("127.0.0.1:2"), HostPort.parse("127.0.0.1:3"));
  }
}
