package io.pharos.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.controller.alert.LocalAlerts;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.alert.AlertRouting;
import io.pharos.core.config.AlertsConfig;
import io.pharos.core.config.AlertsConfig.Receiver;
import io.pharos.core.config.AlertsConfig.ReceiverType;
import io.pharos.core.config.AlertsConfig.Severity;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.AlertDelivered;
import io.pharos.core.journal.AlertRaised;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.alerts.AlertReceiver;
import io.pharos.testkit.alerts.PayloadSchemas;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import io.pharos.core.journal.ControlState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery of one controller over an in-memory journal to local receivers of each format: the
 * payloads against the documented schemas, the outbox's watermark, a failing receiver, a leader
 * change, and the controller's own alerts without a leader.
 */
class AlertDeliveryTest {
  static final String ROUTING_KEY = "test-only-routing-key";
  static final Duration WAIT = Duration.ofSeconds(10);

  final AlertReceiver receivers = AlertReceiver.start();
  final FakeClock clock = new FakeClock();
  final List<AutoCloseable> closing = new ArrayList<>();
  final PharosConfig config = withAlerts(TestConfigs.threeRegions(), receivers, 4);
  final InMemoryJournal journal = new InMemoryJournal(ControlState.initial(config));

  static PharosConfig withAlerts(PharosConfig c, AlertReceiver r, int attempts) {
    Set<Severity> loud = Set.of(Severity.WARNING, Severity.CRITICAL);
    AlertsConfig alerts = new AlertsConfig(List.of(
        new Receiver("chat", ReceiverType.SLACK, r.url(AlertReceiver.SLACK), null, loud),
        new Receiver("oncall", ReceiverType.PAGERDUTY, r.url(AlertReceiver.PAGERDUTY),
            new AlertsConfig.Secret("test", "TEST_ONLY", null, ROUTING_KEY), loud),
        new Receiver("am", ReceiverType.ALERTMANAGER, r.url(AlertReceiver.ALERTMANAGER), null, Set.of(Severity.values()))),
        Duration.ofHours(1), attempts, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2), 2,
        Duration.ZERO);
    return new PharosConfig(c.environment(), c.regions(), c.dns(), c.controllers(), c.probes(), c.policy(),
        c.security(), c.controllerKeys(), c.api(), c.webhooks(), c.statusPage(), alerts);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    receivers.close();
  }

  AlertDelivery start(String id, InMemoryJournal j, LocalAlerts local, ControllerMetrics metrics) {
    AlertDelivery d = AlertDelivery.start(config, id, clock, j, j::propose, local, metrics.registry(),
        metrics.errors());
    closing.add(d);
    return d;
  }

  void raise(String code, String region, boolean cleared) {
    journal.propose(new AlertRaised(code, "CRITICAL", region, code + " about " + region, cleared, journal.term(),
        clock.millis(), "c1")).join();
  }

  static List<JsonNode> pd(AlertReceiver r) {
    return r.accepted(AlertReceiver.PAGERDUTY);
  }

  static List<JsonNode> am(AlertReceiver r) {
    return r.accepted(AlertReceiver.ALERTMANAGER + "/api/v2/alerts").stream()
        .flatMap(b -> java.util.stream.StreamSupport.stream(b.spliterator(), false)).toList();
  }

  static List<JsonNode> slack(AlertReceiver r) {
    return r.accepted(AlertReceiver.SLACK);
  }

  /** Per dedup key, how many PagerDuty events of {@code action}. */
  static Map<String, Long> pdCount(AlertReceiver r, String action) {
    return pd(r).stream().filter(e -> e.get("event_action").asText().equals(action))
        .collect(Collectors.groupingBy(e -> e.get("dedup_key").asText(), Collectors.counting()));
  }

  @Test
  void theLeaderDeliversEachChangeOnceInEveryFormatAndRecordsItsWatermark() {
    journal.becomeLeader();
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    start("c1", journal, new LocalAlerts(clock, metrics.registry()), metrics);
    raise("RegionDegraded", "b", false);
    await().atMost(WAIT).until(() -> pd(receivers).size() == 1 && am(receivers).size() == 1
        && slack(receivers).size() == 1);
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("oncall") == 1
        && journal.state().outbox().deliveredUpTo("chat") == 1 && journal.state().outbox().deliveredUpTo("am") == 1);
    raise("RegionDegraded", "b", true);
    await().atMost(WAIT).until(() -> pd(receivers).size() == 2 && am(receivers).size() == 2
        && slack(receivers).size() == 2);
    pd(receivers).forEach(e -> assertThat(PayloadSchemas.pagerDuty(e)).as(e.toString()).isEmpty());
    slack(receivers).forEach(e -> assertThat(PayloadSchemas.slack(e)).as(e.toString()).isEmpty());
    receivers.accepted(AlertReceiver.ALERTMANAGER).forEach(e -> assertThat(PayloadSchemas.alertmanager(e)).isEmpty());
    JsonNode trigger = pd(receivers).get(0);
    JsonNode resolve = pd(receivers).get(1);
    assertThat(trigger.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.at("/payload/summary").asText()).contains("RegionDegraded (b)");
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("c1");
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
    assertThat(am(receivers).get(0).at("/labels/dedup_key")).isEqualTo(trigger.get("dedup_key"));
    assertThat(am(receivers).get(1).get("endsAt").asText()).isEqualTo(am(receivers).get(1).get("startsAt").asText());
    assertThat(slack(receivers).get(0).get("text").asText()).startsWith("[CRITICAL] RegionDegraded (b)");
    assertThat(slack(receivers).get(1).get("text").asText()).startsWith("[RESOLVED] RegionDegraded (b)");
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("oncall") == 2);
    assertThat(metrics.registry().counter("pharos.alert.deliveries", "receiver", "oncall", "result", "delivered")
        .count()).isEqualTo(2);
    assertThat(metrics.scrape()).contains("pharos_alert_deliveries_total{");
  }

  @Test
  void aFollowerDeliversNothingAndANewLeaderOnlyWhatIsNotRecorded() {
    journal.becomeLeader();
    ControllerMetrics m1 = new ControllerMetrics("c1", clock);
    start("c1", journal, new LocalAlerts(clock, m1.registry()), m1);
    raise("RegionDegraded", "b", false);
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("oncall") == 1
        && journal.state().outbox().deliveredUpTo("chat") == 1 && journal.state().outbox().deliveredUpTo("am") == 1);
    // leadership moves; the change after it is not delivered by the deposed one
    journal.deposedBy("c2");
    raise2("RegionDegraded", "b", true);
    assertThat(journal.state().outbox().lastSeq()).isEqualTo(2);
    // the same replica leads again (a new term): it sends only what lies above the watermarks
    journal.becomeLeader();
    await().atMost(WAIT).until(() -> pd(receivers).size() == 2 && slack(receivers).size() == 2
        && am(receivers).size() == 2);
    assertThat(pdCount(receivers, "trigger")).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    assertThat(pdCount(receivers, "resolve")).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("oncall") == 2);
  }

  /** A change committed while this replica follows (the leader elsewhere journaled it). */
  private void raise2(String code, String region, boolean cleared) {
    // the in-memory journal commits only as leader: lead for this one entry without delivering
    // (the delivery thread sees a different term when it next looks and starts from the watermarks)
    journal.becomeLeader();
    journal.loseLease();
    journal.propose(new AlertRaised(code, "CRITICAL", region, code + " about " + region, cleared, journal.term(),
        clock.millis(), "c2")).join();
    journal.deposedBy("c2");
  }

  @Test
  void aFailingReceiverIsRetriedCountedAndPagedOnTheOtherChannels() {
    receivers.fail(AlertReceiver.SLACK, 503);
    journal.becomeLeader();
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    LocalAlerts local = new LocalAlerts(clock, metrics.registry());
    start("c1", journal, local, metrics);
    raise("RegionDegraded", "b", false);
    // the others get the alert at once
    await().atMost(WAIT).until(() -> pd(receivers).size() >= 1 && am(receivers).size() >= 1);
    // four attempts at slack, then given up; the receiver is failing after two
    await().atMost(WAIT).until(() -> metrics.registry().counter("pharos.alert.deliveries", "receiver", "chat",
        "result", "dropped").count() == 1);
    assertThat(receivers.all(AlertReceiver.SLACK)).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
    assertThat(metrics.registry().counter("pharos.alert.deliveries", "receiver", "chat", "result", "failed").count())
        .isEqualTo(4);
    assertThat(local.isRaised(AlertRouting.DELIVERY_FAILING)).isTrue();
    // ... and paged on the other channels by this controller directly
    await().atMost(WAIT).until(() -> pdCount(receivers, "trigger").keySet().stream()
        .anyMatch(k -> k.contains("/c1/AlertDeliveryFailing/chat/")));
    assertThat(am(receivers)).anySatisfy(a -> assertThat(a.at("/labels/alertname").asText())
        .isEqualTo("AlertDeliveryFailing"));
    JsonNode failing = pd(receivers).stream().filter(e -> e.get("dedup_key").asText().contains("AlertDeliveryFailing"))
        .findFirst().orElseThrow();
    assertThat(PayloadSchemas.pagerDuty(failing)).isEmpty();
    assertThat(failing.at("/payload/summary").asText()).contains("alert receiver chat (slack) failed").contains("HTTP 503")
        .doesNotContain(receivers.url(AlertReceiver.SLACK));
    // given up is done: the watermark moves on, the outbox is not stuck behind it
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("chat") == 1);
    // the receiver heals: the next delivery clears the failing alert and resolves its page
    receivers.heal(AlertReceiver.SLACK);
    raise("RegionDegraded", "b", true);
    await().atMost(WAIT).until(() -> slack(receivers).size() == 1);
    assertThat(local.isRaised(AlertRouting.DELIVERY_FAILING)).isFalse();
    await().atMost(WAIT).until(() -> pdCount(receivers, "resolve").keySet().stream()
        .anyMatch(k -> k.contains("AlertDeliveryFailing")));
  }

  @Test
  void aControllersOwnAlertsAreDeliveredWithoutALeader() {
    journal.loseLeader();
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    LocalAlerts local = new LocalAlerts(clock, metrics.registry());
    start("c1", journal, local, metrics);
    local.raise("ControllerMinority", "CRITICAL", "*", "this controller is not with a majority");
    await().atMost(WAIT).until(() -> pd(receivers).size() == 1 && slack(receivers).size() == 1
        && am(receivers).size() == 1);
    JsonNode trigger = pd(receivers).get(0);
    assertThat(PayloadSchemas.pagerDuty(trigger)).isEmpty();
    assertThat(trigger.get("dedup_key").asText()).startsWith("pharos/default/c1/ControllerMinority/*/");
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("c1");
    local.clear("ControllerMinority", "*");
    await().atMost(WAIT).until(() -> pd(receivers).size() == 2);
    assertThat(pd(receivers).get(1).get("event_action").asText()).isEqualTo("resolve");
    assertThat(pd(receivers).get(1).get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
    // nothing was journaled for it
    assertThat(journal.proposed()).noneMatch(e -> e instanceof AlertDelivered || e instanceof AlertRaised);
  }

  @Test
  void anAlertOlderThanMaxAgeIsNotDelivered() {
    journal.becomeLeader();
    raise("RegionDegraded", "b", false);
    clock.advance(Duration.ofHours(2));
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    start("c1", journal, new LocalAlerts(clock, metrics.registry()), metrics);
    await().atMost(WAIT).until(() -> journal.state().outbox().deliveredUpTo("oncall") == 1);
    assertThat(pd(receivers)).isEmpty();
    assertThat(metrics.registry().counter("pharos.alert.deliveries", "receiver", "oncall", "result", "expired")
        .count()).isEqualTo(1);
  }
}
