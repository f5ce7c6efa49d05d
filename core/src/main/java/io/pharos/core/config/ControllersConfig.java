package io.pharos.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The controller quorum.
 *
 * @param group Raft group name; controllers with a different group refuse to join
 * @param peers 3 or 5 controllers (1 allowed for a single-machine trial)
 * @param storageDir directory under which each controller keeps its Raft log ({@code <dir>/<id>})
 * @param electionTimeoutMin Raft election timeout, lower bound
 * @param electionTimeoutMax Raft election timeout, upper bound
 * @param tls mutual TLS for Raft traffic, or null for plaintext
 */
public record ControllersConfig(
    String group,
    List<ControllerPeer> peers,
    String storageDir,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Tls tls) {
  public ControllersConfig {
    peers = List.copyOf(peers);
  }

  public ControllersConfig(String group, List<ControllerPeer> peers, String storageDir, Duration electionTimeoutMin,
      Duration electionTimeoutMax) {
    this(group, peers, storageDir, electionTimeoutMin, electionTimeoutMax, null);
  }

  /**
   * PEM files for mutual TLS between controllers.
   *
   * @param certFile this controller's certificate chain
   * @param keyFile its private key (PKCS#8)
   * @param caFile the CA that signed every controller's certificate
   */
  public record Tls(String certFile, String keyFile, String caFile) {}

  public Optional<ControllerPeer> peer(String id) {
    return peers.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The smallest number of controllers that forms a majority. */
  public int majority() {
    return peers.size() / 2 + 1;
  }
}
