package io.pharos.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.pharos.core.config.PharosConfig;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.metrics.PromText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Route 53 provider against a local endpoint that throttles twice and then fails with 503:
 * its retries, throttles, failures and breaker reach the controller's series through the
 * provider's health counters.
 */
class DnsMetricsTest {
  private static final String THROTTLED = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
      + "<Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>";
  private static final String UNAVAILABLE = "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable"
      + "</Code><Message>down</Message></Error><RequestId>2</RequestId></ErrorResponse>";
  private HttpServer route53;

  @AfterEach
  void stop() {
    if (route53 != null) {
      route53.stop(0);
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void retries_throttles_failures_and_an_open_breaker_appear_with_the_provider_label() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    route53 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    route53.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      boolean throttle = calls.incrementAndGet() <= 2;
      byte[] body = (throttle ? THROTTLED : UNAVAILABLE).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/xml");
      ex.sendResponseHeaders(throttle ? 400 : 503, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    route53.start();
    PharosConfig config = TestConfigs.parse("""
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
        dns:
          provider: route53
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ]
          route53: { hostedZoneId: ZTEST, region: us-east-1, endpoint: "http://127.0.0.1:%d", maxAttempts: 3,
                     backoffBase: 5ms, backoffMax: 20ms, breakerFailures: 2, breakerOpenFor: 1h, requestTimeout: 2s }
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        """.formatted(route53.getAddress().getPort()) + TestConfigs.securityYaml());
    ControllerMetrics metrics = new ControllerMetrics("c1", new FakeClock());
    // throwaway credentials for the SDK's default chain (its system-property step); nothing leaves loopback
    System.setProperty("aws.accessKeyId", "test-only");
    System.setProperty("aws.secretAccessKey", "test-only");
    try (DnsProvider provider = DnsProviders.create(config.dns(), DnsProviderContext.remote(new FakeClock()))) {
      new DnsMetrics(metrics).provider(provider);
      PromText before = PromText.parse(metrics.scrape());
      assertThat(before.value("pharos_dns_provider_breaker_state", "provider", "route53", "state", "closed"))
          .contains(1.0);

      assertThatThrownBy(() -> provider.check().join()).hasMessageContaining("Route 53 GetHostedZone failed");
      assertThatThrownBy(() -> provider.check().join());

      PromText m = PromText.parse(metrics.scrape());
      assertThat(m.value("pharos_dns_provider_throttled_total", "provider", "route53")).contains(2.0);
      assertThat(m.value("pharos_dns_provider_retries_total", "provider", "route53").orElseThrow())
          .isGreaterThanOrEqualTo(2);
      assertThat(m.value("pharos_dns_provider_failures_total", "provider", "route53", "kind", "transient")
          .orElseThrow()).isGreaterThanOrEqualTo(2);
      assertThat(m.value("pharos_dns_provider_requests_total", "provider", "route53").orElseThrow()).isGreaterThanOrEqualTo(4);
      assertThat(m.find("pharos_dns_provider_operation_requests_total", "provider", "route53"))
          .extracting(s -> s.label("operation")).isNotEmpty();
      assertThat(m.value("pharos_dns_provider_breaker_state", "provider", "route53", "state", "open")).contains(1.0);
      assertThat(m.value("pharos_dns_provider_breaker_state", "provider", "route53", "state", "closed")).contains(0.0);
      assertThat(m.value("pharos_dns_provider_health", "provider", "route53", "state", "down")).contains(1.0);
      assertThat(m.value("pharos_dns_provider_breaker_transitions_total", "provider", "route53").orElseThrow())
          .isGreaterThanOrEqualTo(1);
    }
  }
}
