package io.pharos.controller.raft;

import io.pharos.controller.metrics.ErrorCounter;
import java.io.IOException;
import java.lang.reflect.Method;
import org.apache.ratis.grpc.server.GrpcServicesImpl;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Raft channels to the other controllers out of gRPC's reconnect backoff. gRPC puts a
 * peer that was unreachable in exponential reconnect backoff (growing to minutes) and fails calls
 * on it at once meanwhile. Measured in the leader-failover bench: a vote request to a controller
 * restarted seconds earlier failed UNAVAILABLE, the election round was lost and the new leader
 * came a timeout later (p99 5.8 s after a kill). Called every 250 ms, {@link #reset} makes the
 * channels to every other member retry their connection at once.
 */
final class PeerBackoff {
  private static final Logger LOG = LoggerFactory.getLogger(PeerBackoff.class);

  private final RaftPeerId selfId;
  private final ErrorCounter errors;
  private Method resetConnectBackoff;

  PeerBackoff(RaftPeerId selfId, ErrorCounter errors) {
    this.selfId = selfId;
    this.errors = errors;
  }

  void reset(RaftServer.Division division) {
    if (!(division.getRaftServer().getServerRpc() instanceof GrpcServicesImpl rpc)) {
      return;
    }
    try {
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
        if (!peer.getId().equals(selfId)) {
          Object client = rpc.getProxies().getProxy(peer.getId());
          resetMethod(client).invoke(client);
        }
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      errors.record(LOG, "raft.backoff-reset", "could not reset the reconnect backoff of the Raft channels", e);
    }
  }

  /**
   * GrpcServerProtocolClient is package-private in Ratis 3.3: its public method is reached by
   * reflection (class path, no module boundary).
   */
  private synchronized Method resetMethod(Object client) throws NoSuchMethodException {
    if (resetConnectBackoff == null) {
      Method m = client.getClass().getMethod("resetConnectBackoff");
      m.setAccessible(true);
      resetConnectBackoff = m;
    }
    return resetConnectBackoff;
  }
}
