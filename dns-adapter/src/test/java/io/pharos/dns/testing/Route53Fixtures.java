package io.pharos.dns.testing;

import io.pharos.core.config.ProviderSettings.Route53;
import java.time.Duration;
import java.util.Optional;

/** Route 53 settings for tests: the real 5 requests/s budget, short polls, deadlines and pauses. */
public final class Route53Fixtures {
  private Route53Fixtures() {}

  public static Route53 fast() {
    return new Route53(Optional.empty(), "us-east-1", Optional.empty(), 5, Duration.ofSeconds(10),
        Duration.ofMillis(100), 4, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(2), 3,
        Duration.ofMillis(800), 60);
  }
}
