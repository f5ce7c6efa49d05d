package io.pharos.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The controllers' own DNS servers (the embedded name servers every controller runs): how much
 * they answer one client, and how many TCP connections they keep. Read from {@code dns.server}.
 *
 * @param rateLimit response-rate limiting of UDP answers per client subnet
 * @param tcp TCP connection limits
 */
public record DnsServerConfig(RateLimit rateLimit, Tcp tcp) {
  public static final DnsServerConfig DEFAULTS = new DnsServerConfig(RateLimit.DEFAULTS, Tcp.DEFAULTS);

  public DnsServerConfig {
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(tcp, "tcp");
  }

  /**
   * Response-rate limiting (RRL) of UDP answers: a client subnet gets {@code responsesPerSecond}
   * answers a second (bursts up to {@code burst}); beyond that every {@code slip}-th answer goes
   * out empty and truncated (TC set: a real resolver retries over TCP, which is not limited this
   * way) and the others are dropped. A spoofed flood thus cannot use the servers to amplify; a
   * resolver is never cut off. Subnets in {@code exempt} (CIDR) are never limited: local
   * resolvers, monitoring, benchmarks.
   *
   * @param responsesPerSecond answers per second per subnet; 0 turns the limit off
   * @param burst answers a subnet may get at once before the rate applies
   * @param slip every slip-th limited answer is sent truncated; 0 drops them all
   * @param ipv4PrefixLength the IPv4 client subnet (/24: one resolver farm shares one budget)
   * @param ipv6PrefixLength the IPv6 client subnet
   * @param exempt client subnets never limited, as CIDR ("10.0.0.0/8", "fd00::/8")
   */
  public record RateLimit(int responsesPerSecond, int burst, int slip, int ipv4PrefixLength, int ipv6PrefixLength,
      List<String> exempt) {
    public static final RateLimit DEFAULTS = new RateLimit(50, 100, 2, 24, 56, List.of());
    /** No limit: every query is answered. */
    public static final RateLimit OFF = new RateLimit(0, 0, 0, 24, 56, List.of());

    public RateLimit {
      exempt = List.copyOf(exempt);
      if (responsesPerSecond < 0 || burst < 0 || slip < 0) {
        throw new IllegalArgumentException("responsesPerSecond, burst and slip must not be negative");
      }
      if (responsesPerSecond > 0 && burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1 when responsesPerSecond is set");
      }
      if (ipv4PrefixLength < 8 || ipv4PrefixLength > 32 || ipv6PrefixLength < 16 || ipv6PrefixLength > 128) {
        throw new IllegalArgumentException("ipv4PrefixLength must be 8..32 and ipv6PrefixLength 16..128");
      }
    }

    public boolean enabled() {
      return responsesPerSecond > 0;
    }
  }

  /**
   * @param maxConnections TCP connections open at once; more are closed as they come
   * @param idleTimeout a TCP connection without a query for this long is closed
   */
  public record Tcp(int maxConnections, Duration idleTimeout) {
    public static final Tcp DEFAULTS = new Tcp(256, Duration.ofSeconds(10));

    public Tcp {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
      }
      if (idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
      }
    }
  }
}
