package io.pharos.core.config;

/**
 * One controller of the quorum.
 *
 * @param id stable Raft peer id
 * @param region the region it runs in
 * @param raft Raft (gRPC) address
 * @param hazelcast Hazelcast member address agents and other members connect to
 * @param api admin/status HTTP address
 * @param dns address the embedded DNS server binds (UDP and TCP); may be a wildcard (0.0.0.0)
 * @param dnsAdvertise where other controllers and resolvers reach that DNS server: the name
 *     server's glue (an IPv4 address) and what {@code DnsVerifier} asks; the bind address when
 *     that is a concrete IPv4 address
 */
public record ControllerPeer(
    String id, String region, HostPort raft, HostPort hazelcast, HostPort api, HostPort dns, HostPort dnsAdvertise) {
  public ControllerPeer {
    dnsAdvertise = dnsAdvertise == null ? dns : dnsAdvertise;
  }

  /** A controller whose DNS server is reached at the address it binds. */
  public ControllerPeer(String id, String region, HostPort raft, HostPort hazelcast, HostPort api, HostPort dns) {
    this(id, region, raft, hazelcast, api, dns, dns);
  }

  /**
   * This controller as it listens when its sockets bind {@code bindHost} (Raft, Hazelcast, API) while the
   * others still reach it at the configured, advertised addresses: in a container or a pod the advertised
   * name is a Service or another cluster's address, not one of the machine's own. The DNS server keeps its
   * own bind address ({@code dns}, {@code dnsAdvertise}). Null: this peer unchanged.
   */
  public ControllerPeer boundTo(String bindHost) {
    if (bindHost == null) {
      return this;
    }
    return new ControllerPeer(id, region, new HostPort(bindHost, raft.port()), new HostPort(bindHost, hazelcast.port()),
        new HostPort(bindHost, api.port()), dns, dnsAdvertise);
  }

  /** Whether {@code host} binds every address of the machine (0.0.0.0, ::). */
  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }
}
