package io.pharos.dns.embedded;

import io.pharos.core.config.DnsServerConfig;
import io.pharos.core.config.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an {@link EmbeddedDnsServer} listens, which name servers the zone names, and the limits it
 * puts on clients.
 *
 * @param udp UDP address; port 0 picks a free port
 * @param tcp TCP address; empty means the UDP host and port, which is what resolvers expect when
 *     they retry a truncated answer over TCP (with UDP port 0, TCP takes the port UDP got)
 * @param nameServers the zone's NS records, in order; at least one
 * @param limits response-rate limiting and TCP connection limits ({@code dns.server})
 */
public record DnsServerSettings(HostPort udp, Optional<HostPort> tcp, List<NameServer> nameServers,
    DnsServerConfig limits) {
  public DnsServerSettings {
    Objects.requireNonNull(udp, "udp");
    Objects.requireNonNull(tcp, "tcp");
    Objects.requireNonNull(limits, "limits");
    nameServers = List.copyOf(nameServers);
    if (nameServers.isEmpty()) {
      throw new IllegalArgumentException("the zone needs at least one name server (name and IPv4 address)"
          + " for its NS records; list the controllers that serve it");
    }
  }

  /** With the default limits. */
  public DnsServerSettings(HostPort udp, Optional<HostPort> tcp, List<NameServer> nameServers) {
    this(udp, tcp, nameServers, DnsServerConfig.DEFAULTS);
  }

  /** UDP and TCP on the same free port of 127.0.0.1, default limits. */
  public static DnsServerSettings loopback(List<NameServer> nameServers) {
    return new DnsServerSettings(new HostPort("127.0.0.1", 0), Optional.empty(), nameServers);
  }

  /** The same with other limits. */
  public DnsServerSettings withLimits(DnsServerConfig other) {
    return new DnsServerSettings(udp, tcp, nameServers, other);
  }
}
