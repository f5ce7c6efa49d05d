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

  /** Whether {@code host} binds every address of the machine (0.0.0.0, ::). */
  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }
}
