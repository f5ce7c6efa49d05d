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
 * @param insecurePlaintext plaintext Raft between controllers that are not all on loopback, asked
 *     for explicitly ({@code controllers.insecurePlaintext: true}); never together with {@code tls}
 */
public record ControllersConfig(
    String group,
    List<ControllerPeer> peers,
    String storageDir,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Tls tls,
    boolean insecurePlaintext) {
  public ControllersConfig {
    peers = List.copyOf(peers);
  }

  public ControllersConfig(String group, List<ControllerPeer> peers, String storageDir, Duration electionTimeoutMin,
      Duration electionTimeoutMax) {
    this(group, peers, storageDir, electionTimeoutMin, electionTimeoutMax, null, false);
  }

  public ControllersConfig(String group, List<ControllerPeer> peers, String storageDir, Duration electionTimeoutMin,
      Duration electionTimeoutMax, Tls tls) {
    this(group, peers, storageDir, electionTimeoutMin, electionTimeoutMax, tls, false);
  }

  /**
   * PEM files for mutual TLS between controllers. {@code {id}} in a path stands for the controller's
   * id, so one config file can name every controller's own certificate and key.
   *
   * @param certFile this controller's certificate (then any intermediates)
   * @param keyFile its private key (PKCS#8)
   * @param caFile the CA certificate(s) that signed the controllers' certificates (more than one
   *     while the CA is being rotated)
   */
  public record Tls(String certFile, String keyFile, String caFile) {
    /** The placeholder for the controller's id in a path. */
    public static final String ID = "{id}";

    /** The paths of controller {@code id}: {@code {id}} replaced. */
    public Tls forController(String id) {
      return new Tls(certFile.replace(ID, id), keyFile.replace(ID, id), caFile.replace(ID, id));
    }
  }

  /** Whether every peer's Raft address is a loopback address (plaintext needs no opt-in then). */
  public boolean loopbackOnly() {
    return peers.stream().allMatch(p -> p.raft().isLoopback());
  }

  public Optional<ControllerPeer> peer(String id) {
    return peers.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The smallest number of controllers that forms a majority. */
  public int majority() {
    return peers.size() / 2 + 1;
  }
}
