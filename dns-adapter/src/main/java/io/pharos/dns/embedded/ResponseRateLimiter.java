package io.pharos.dns.embedded;

import io.pharos.core.config.Cidr;
import io.pharos.core.config.DnsServerConfig.RateLimit;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Response-rate limiting (RRL) for UDP answers, per client subnet: a token bucket of {@code burst}
 * answers refilled at {@code responsesPerSecond}. A query over the budget is dropped, except every
 * {@code slip}-th, which gets an empty truncated answer (a real resolver retries over TCP; an
 * attacker spoofing the victim's address gains nothing: the answer is no bigger than the query).
 * Exempt subnets are never limited. The table holds at most {@value #MAX_SUBNETS} subnets (least
 * recently heard evicted), so a flood from spoofed addresses cannot grow it without bound.
 *
 * <p>Thread-safe; the clock is an injected nanosecond ticker.
 */
final class ResponseRateLimiter {
  /** At ~100 bytes a subnet, 64 k subnets stay below 10 MB. */
  static final int MAX_SUBNETS = 65_536;

  /** What to do with one query. */
  enum Decision {
    ANSWER,
    /** answer with an empty, truncated reply (the client retries over TCP) */
    SLIP,
    DROP
  }

  private final RateLimit settings;
  private final List<Cidr> exempt;
  private final LongSupplier nanos;
  private final double perNano;
  private final Map<Subnet, Bucket> buckets = new LinkedHashMap<>(1_024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Subnet, Bucket> eldest) {
      return size() > MAX_SUBNETS;
    }
  };

  ResponseRateLimiter(RateLimit settings, LongSupplier nanos) {
    this.settings = settings;
    this.exempt = settings.exempt().stream().map(Cidr::parse).toList();
    this.nanos = nanos;
    this.perNano = settings.responsesPerSecond() / 1e9;
  }

  /** The decision for a query from {@code client}. */
  Decision decide(InetAddress client) {
    if (!settings.enabled()) {
      return Decision.ANSWER;
    }
    byte[] address = client.getAddress();
    for (Cidr c : exempt) {
      if (c.contains(address)) {
        return Decision.ANSWER;
      }
    }
    int prefix = address.length == 4 ? settings.ipv4PrefixLength() : settings.ipv6PrefixLength();
    Subnet key = new Subnet(Cidr.mask(address, prefix));
    long now = nanos.getAsLong();
    synchronized (buckets) {
      Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(settings.burst(), now));
      b.tokens = Math.min(settings.burst(), b.tokens + (now - b.at) * perNano);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return Decision.ANSWER;
      }
      b.limited++;
      return settings.slip() > 0 && b.limited % settings.slip() == 0 ? Decision.SLIP : Decision.DROP;
    }
  }

  /** Subnets being tracked now. */
  int subnets() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  private static final class Bucket {
    double tokens;
    long at;
    long limited;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /** A masked client address, compared by value. */
  private record Subnet(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Subnet s && java.util.Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }
}
