package io.pharos.testkit.sandbox;

import io.pharos.testkit.net.NetnsNetwork;

/** Where a local sandbox's processes live on the network. */
public enum SandboxNetwork {
  /** Every process on 127.0.0.1 (no root needed; no partitions possible). */
  LOOPBACK,
  /**
   * Every process in its own network namespace with its own address on a private bridge (root,
   * iproute2 and iptables): partitions between any processes or regions are iptables rules.
   */
  NETNS;

  /** NETNS where this machine allows it, otherwise LOOPBACK. */
  public static SandboxNetwork auto() {
    return NetnsNetwork.unavailableReason().isEmpty() ? NETNS : LOOPBACK;
  }
}
