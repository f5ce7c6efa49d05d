package io.pharos.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.DnsServerConfig.RateLimit;
import io.pharos.dns.embedded.ResponseRateLimiter.Decision;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-subnet token bucket, on a fake clock. */
class ResponseRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private List<Decision> ask(ResponseRateLimiter l, String client, int n) throws Exception {
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(l.decide(ip(client)));
    }
    return out;
  }

  @Test
  void aSubnetGetsItsBurstThenItsRateAndEverySecondLimitedQuerySlips() throws Exception {
    ResponseRateLimiter l = new ResponseRateLimiter(new RateLimit(10, 5, 2, 24, 56, List.of()), nanos::get);
    assertThat(ask(l, "192.0.2.1", 5)).containsOnly(Decision.ANSWER);
    assertThat(ask(l, "192.0.2.99", 4)).as("the same /24").containsExactly(Decision.DROP, Decision.SLIP,
        Decision.DROP, Decision.SLIP);
    assertThat(ask(l, "192.0.3.1", 1)).as("another /24").containsExactly(Decision.ANSWER);
    nanos.addAndGet(100_000_000L); // 100 ms: one answer's worth at 10/s
    assertThat(ask(l, "192.0.2.1", 2)).containsExactly(Decision.ANSWER, Decision.DROP);
    nanos.addAndGet(10_000_000_000L); // a quiet while: back to the burst, not more
    assertThat(ask(l, "192.0.2.1", 6)).containsExactly(Decision.ANSWER, Decision.ANSWER, Decision.ANSWER,
        Decision.ANSWER, Decision.ANSWER, Decision.SLIP);
  }

  @Test
  void exemptSubnetsAndAnOffLimitAreNeverLimited() throws Exception {
    ResponseRateLimiter exempt = new ResponseRateLimiter(new RateLimit(1, 1, 0, 24, 56,
        List.of("127.0.0.0/8", "fd00::/8")), nanos::get);
    assertThat(ask(exempt, "127.0.0.1", 100)).containsOnly(Decision.ANSWER);
    assertThat(ask(exempt, "fd00::1", 100)).containsOnly(Decision.ANSWER);
    assertThat(ask(exempt, "198.51.100.1", 3)).containsExactly(Decision.ANSWER, Decision.DROP, Decision.DROP);
    ResponseRateLimiter off = new ResponseRateLimiter(RateLimit.OFF, nanos::get);
    assertThat(ask(off, "198.51.100.1", 1_000)).containsOnly(Decision.ANSWER);
    assertThat(off.subnets()).isZero();
  }

  @Test
  void ipv6ClientsShareTheirSlash56AndTheTableIsBounded() throws Exception {
    ResponseRateLimiter l = new ResponseRateLimiter(new RateLimit(1, 1, 0, 24, 56, List.of()), nanos::get);
    assertThat(ask(l, "2001:db8:0:1::1", 1)).containsExactly(Decision.ANSWER);
    assertThat(ask(l, "2001:db8:0:ff::2", 1)).as("same /56").containsExactly(Decision.DROP);
    assertThat(ask(l, "2001:db8:0:100::1", 1)).as("next /56").containsExactly(Decision.ANSWER);
    // a spoofed flood from every /24 there is cannot grow the table past its bound
    for (int i = 0; i < ResponseRateLimiter.MAX_SUBNETS + 1_000; i++) {
      l.decide(InetAddress.getByAddress(new byte[] {(byte) (i >> 16), (byte) (i >> 8), (byte) i, 1}));
    }
    assertThat(l.subnets()).isEqualTo(ResponseRateLimiter.MAX_SUBNETS);
  }
}
