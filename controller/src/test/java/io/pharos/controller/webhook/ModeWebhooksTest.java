package io.pharos.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.ReadOnlySet;
import io.pharos.core.journal.WritePrimaryPromoted;
import io.pharos.core.wire.WebhookSignature;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import io.pharos.testkit.webhook.WebhookReceiver;
import io.pharos.testkit.webhook.WebhookVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mode changes pushed to local receivers that verify every signature and keep the newest token per region. */
class ModeWebhooksTest {
  // throwaway test secrets, not secrets
  static final byte[] ORDERS = "orders-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final byte[] BILLING = "billing-test-secret-fedcba9876543210".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;
  final FakeClock clock = new FakeClock();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  WebhookReceiver orders;
  WebhookReceiver billing;
  InMemoryJournal journal;
  ModeWebhooks webhooks;
  PharosConfig config;

  @BeforeEach
  void start() throws Exception {
    orders = new WebhookReceiver(ORDERS, () -> clock.millis() / 1000);
    billing = new WebhookReceiver(BILLING, () -> clock.millis() / 1000);
    Path billingSecret = dir.resolve("billing.secret");
    Files.write(billingSecret, BILLING);
    config = TestConfigs.parse("""
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ]
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        policy: { writePrimary: a }
        webhooks:
          attempts: 4
          backoff: 10ms
          maxBackoff: 40ms
          receivers:
            - { name: orders, url: "%s", secretEnv: ORDERS_WEBHOOK_SECRET }
            - { name: billing, url: "%s", secretFile: "%s" }
        """.formatted(orders.url(), billing.url(), billingSecret) + TestConfigs.securityYaml());
    journal = new InMemoryJournal(ControlState.initial(config));
    Map<String, byte[]> secrets = WebhookSecrets.read(config.webhooks(),
        Map.of("ORDERS_WEBHOOK_SECRET", new String(ORDERS, StandardCharsets.UTF_8)));
    webhooks = new ModeWebhooks(config, secrets, journal, clock, registry).start();
  }

  @AfterEach
  void stop() {
    webhooks.close();
    orders.close();
    billing.close();
  }

  @Test
  void everyModeChangeReachesEveryReceiverSignedWithItsOwnSecretInTokenOrder() throws Exception {
    journal.becomeLeader();
    orders.failNext(2); // the first delivery to orders is retried twice; billing is not held up
    journal.propose(new ReadOnlySet("b", true, "alice", "migration", journal.term(), clock.millis(), "c1")).get();
    journal.propose(new ReadOnlySet("b", false, "alice", "done", journal.term(), clock.millis(), "c1")).get();
    journal.propose(new WritePrimaryPromoted("b", "a", 1, false, "root", "move", journal.term(), clock.millis(), "c1"))
        .get();
    await("four changes at each receiver", () -> orders.accepted().size() >= 4 && billing.accepted().size() >= 4);
    for (WebhookReceiver r : new WebhookReceiver[] {orders, billing}) {
      assertThat(r.refused()).isEmpty();
      assertThat(r.accepted()).extracting(d -> d.region() + " " + d.mode())
          .containsExactly("b read-only", "b read-write", "a read-only", "b read-write");
      assertThat(r.accepted()).allSatisfy(d -> assertThat(d.applied()).isTrue());
      assertThat(r.accepted().get(2).body().path("writePrimary").asText()).isEqualTo("b");
      assertThat(r.accepted().get(0).body().path("reason").asText()).contains("alice").contains("migration");
    }
    assertThat(orders.accepted()).extracting(WebhookReceiver.Delivery::index).isSorted();
    assertThat(count("orders", "retried")).isEqualTo(2);
    assertThat(count("orders", "delivered")).isEqualTo(4);
    assertThat(count("billing", "retried")).isZero();
    // the promotion sets both: the old primary a read-only and b read-write, with the same token
    assertThat(orders.accepted().get(2).index()).isEqualTo(orders.accepted().get(3).index());
  }

  @Test
  void aReceiverThatNeverAnswersIsGivenUpAfterItsAttemptsAndCounted() throws Exception {
    journal.becomeLeader();
    orders.failNext(100);
    journal.propose(new ReadOnlySet("b", true, "alice", "migration", journal.term(), clock.millis(), "c1")).get();
    await("orders given up", () -> count("orders", "failed") == 1);
    assertThat(count("orders", "retried")).isEqualTo(3);
    assertThat(billing.accepted()).hasSize(1);
  }

  @Test
  void aFollowerSendsNothingAndANewLeaderResendsTheCurrentModesWhichReceiversIgnore() throws Exception {
    journal.becomeLeader();
    journal.propose(new ReadOnlySet("b", true, "alice", "migration", journal.term(), clock.millis(), "c1")).get();
    await("one delivery", () -> count("billing", "delivered") == 1);
    journal.deposedBy("c2");
    webhooks.check();
    assertThat(count("billing", "delivered")).isEqualTo(1);
    journal.becomeLeader();
    webhooks.check();
    await("the current mode again", () -> count("billing", "delivered") == 2);
    assertThat(billing.accepted()).extracting(WebhookReceiver.Delivery::applied).containsExactly(true, false);
    assertThat(billing.accepted().get(1).index()).isEqualTo(billing.accepted().get(0).index());
  }

  @Test
  void theExampleVerifierRefusesForgedUnsignedAndReplayedDeliveries() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    byte[] body = "{\"region\":\"a\",\"mode\":\"read-write\",\"term\":99,\"index\":1}".getBytes(StandardCharsets.UTF_8);
    long now = clock.millis() / 1000;
    assertThat(post(http, orders.url(), body, null, null)).isEqualTo(401);
    assertThat(post(http, orders.url(), body, now, WebhookSignature.sign(BILLING, now, body)))
        .as("signed with another receiver's secret").isEqualTo(401);
    assertThat(post(http, orders.url(), body, now + 1, WebhookSignature.sign(ORDERS, now, body)))
        .as("timestamp changed after signing").isEqualTo(401);
    assertThat(post(http, orders.url(), body, now - 3_600, WebhookSignature.sign(ORDERS, now - 3_600, body)))
        .as("an hour-old delivery replayed").isEqualTo(401);
    assertThat(orders.refused()).containsExactly("unsigned", "bad signature", "bad signature", "stale timestamp");
    assertThat(orders.accepted()).isEmpty();
    assertThat(post(http, orders.url(), body, now, WebhookSignature.sign(ORDERS, now, body))).isEqualTo(200);
    assertThat(new WebhookVerifier(ORDERS, 300).problem(Long.toString(now), WebhookSignature.sign(ORDERS, now, body),
        body, now)).isNull();
  }

  @Test
  void aMissingOrShortSecretStopsTheStartNamingWhereItLooked() {
    assertThatThrownBy(() -> WebhookSecrets.read(config.webhooks(), Map.of()))
        .hasMessageContaining("receiver 'orders': no secret in environment variable ORDERS_WEBHOOK_SECRET");
    assertThatThrownBy(() -> WebhookSecrets.read(config.webhooks(), Map.of("ORDERS_WEBHOOK_SECRET", "short")))
        .hasMessageContaining("is 5 bytes; use at least 16").hasMessageNotContaining("short");
  }

  private static int post(HttpClient http, URI url, byte[] body, Long ts, String sig) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (ts != null) {
      b.header(WebhookSignature.TIMESTAMP_HEADER, ts.toString()).header(WebhookSignature.SIGNATURE_HEADER, sig);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private double count(String receiver, String outcome) {
    var c = registry.find("pharos.webhook.deliveries").tag("receiver", receiver).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(10)).until(done::getAsBoolean);
  }
}
