package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.journal.AlertOutbox;
import io.pharos.testkit.alerts.AlertReceiver;
import io.pharos.testkit.alerts.PayloadSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts from three real controllers to local Slack, PagerDuty and Alertmanager receivers: a
 * leader killed after the alert is journaled and before it is delivered, another killed after its
 * delivery is recorded (one trigger per dedup key, one Slack message per state change), and two
 * controllers killed (the survivor pages its own ControllerMinority without a quorum).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertClusterTest {
  static final String CODE = "MonitoringPartition";
  static final Duration WAIT = Duration.ofSeconds(40);
  @TempDir
  static Path dir;
  final AlertReceiver receivers = AlertReceiver.start();
  TestCluster cluster;

  @BeforeAll
  void start() throws Exception {
    Path key = AlertReceiver.routingKeyFile(dir);
    String alerts = """
        alerts:
          retry: { attempts: 20, initialBackoff: 50ms, maxBackoff: 1s }
          failingAfter: 3
          receivers:
            - { name: chat, type: slack, url: "%s" }
            - { name: oncall, type: pagerduty, url: "%s", routingKeyFile: "%s", severities: [warning, critical] }
            - { name: am, type: alertmanager, url: "%s" }
        """.formatted(receivers.url(AlertReceiver.SLACK), receivers.url(AlertReceiver.PAGERDUTY), key,
        receivers.url(AlertReceiver.ALERTMANAGER));
    cluster = new TestCluster(dir, "{ startupGrace: 0s, cooldown: 1m }", alerts);
    cluster.startAgents();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    receivers.close();
  }

  static String id(PharosController c) {
    return c.view().status().get("controller").asText();
  }

  private List<JsonNode> pagerDuty(String code) {
    return receivers.accepted(AlertReceiver.PAGERDUTY).stream()
        .filter(e -> e.get("dedup_key").asText().contains("/" + code + "/")).toList();
  }

  private List<JsonNode> alertmanager(String code) {
    return receivers.accepted(AlertReceiver.ALERTMANAGER).stream()
        .flatMap(b -> StreamSupport.stream(b.spliterator(), false))
        .filter(a -> a.at("/labels/alertname").asText().equals(code)).toList();
  }

  private List<String> slack(String code) {
    return receivers.accepted(AlertReceiver.SLACK).stream().map(m -> m.get("text").asText())
        .filter(t -> t.contains("] " + code + " ") || t.contains("] " + code + ":")).toList();
  }

  private static Map<String, Long> count(List<JsonNode> events, String field, String action) {
    return events.stream().filter(e -> e.get("event_action").asText().equals(action))
        .collect(Collectors.groupingBy(e -> e.get(field).asText(), Collectors.counting()));
  }

  private PharosController leaderOtherThan(String id) {
    await().atMost(WAIT).until(() -> cluster.leader() != null && !id(cluster.leader()).equals(id));
    return cluster.leader();
  }

  private static boolean delivered(PharosController c, long seq) {
    AlertOutbox o = c.state().outbox();
    return o.deliveredUpTo("chat") >= seq && o.deliveredUpTo("oncall") >= seq && o.deliveredUpTo("am") >= seq;
  }

  @Test
  @Order(1)
  void aLeaderChangeBetweenJournalAndDeliveryNeitherLosesNorDuplicatesAPage() throws Exception {
    await().atMost(WAIT).until(() -> cluster.leader() != null && cluster.controllers.stream().allMatch(c ->
        StreamSupport.stream(c.view().status().get("regions").spliterator(), false)
            .allMatch(r -> r.get("state").asText().equals("HEALTHY"))));
    // every receiver down: the leader journals the alert but cannot deliver it
    for (String p : List.of(AlertReceiver.SLACK, AlertReceiver.PAGERDUTY, AlertReceiver.ALERTMANAGER)) {
      receivers.fail(p, 503);
    }
    cluster.silent.add("b");
    await().atMost(WAIT).until(() -> cluster.leader() != null);
    PharosController first = cluster.leader();
    await().atMost(WAIT).until(() -> first.state().outbox().isOpen(CODE, "b"));
    long raised = first.state().outbox().open().get(CODE + "/b");
    assertThat(delivered(first, raised)).isFalse();
    cluster.kill(id(first));
    for (String p : List.of(AlertReceiver.SLACK, AlertReceiver.PAGERDUTY, AlertReceiver.ALERTMANAGER)) {
      receivers.heal(p);
    }
    // the next leader delivers it, from the journal's outbox, and records that it did
    PharosController second = leaderOtherThan(id(first));
    await().atMost(WAIT).until(() -> !pagerDuty(CODE).isEmpty() && !alertmanager(CODE).isEmpty()
        && !slack(CODE).isEmpty());
    assertThat(pagerDuty(CODE)).as("PagerDuty events").hasSize(1);
    assertThat(alertmanager(CODE)).as("Alertmanager alerts").hasSize(1);
    assertThat(slack(CODE)).as("Slack messages").hasSize(1);
    // the watermark is a version-2 entry: recorded once every member's format is known again
    cluster.revive(id(first));
    await().atMost(WAIT).until(() -> delivered(second, raised));
    // the leader that recorded the delivery dies: its successor must not page again
    cluster.kill(id(second));
    PharosController third = leaderOtherThan(id(second));
    cluster.silent.remove("b");
    await().atMost(WAIT).until(() -> !third.state().outbox().isOpen(CODE, "b"));
    await().atMost(WAIT).until(() -> !count(pagerDuty(CODE), "dedup_key", "resolve").isEmpty()
        && alertmanager(CODE).stream().anyMatch(a -> a.get("endsAt").asText().equals(a.get("startsAt").asText()))
        && slack(CODE).stream().anyMatch(t -> t.startsWith("[RESOLVED]")));
    cluster.revive(id(second));
    assertThat(pagerDuty(CODE).stream().map(e -> e.get("event_action").asText()))
        .as("PagerDuty events: %s", pagerDuty(CODE)).containsExactly("trigger", "resolve");
    assertThat(alertmanager(CODE)).as("Alertmanager alerts: %s", alertmanager(CODE)).hasSize(2);
    assertThat(slack(CODE)).as("Slack messages").hasSize(2);

    List<JsonNode> pd = pagerDuty(CODE);
    pd.forEach(e -> assertThat(PayloadSchemas.pagerDuty(e)).as(e.toString()).isEmpty());
    Map<String, Long> triggers = count(pd, "dedup_key", "trigger");
    assertThat(triggers).as("one trigger per dedup key").hasSize(1).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    assertThat(count(pd, "dedup_key", "resolve")).isEqualTo(triggers);
    String key = triggers.keySet().iterator().next();
    assertThat(key).isEqualTo("pharos/default/" + CODE + "/b/" + raised);
    List<JsonNode> am = alertmanager(CODE);
    receivers.accepted(AlertReceiver.ALERTMANAGER).forEach(b -> assertThat(PayloadSchemas.alertmanager(b)).isEmpty());
    assertThat(am).allSatisfy(a -> assertThat(a.at("/labels/dedup_key").asText()).isEqualTo(key));
    assertThat(am.stream().filter(a -> Instant.parse(a.get("endsAt").asText()).isAfter(Instant.now()))).hasSize(1);
    assertThat(am.stream().filter(a -> a.get("endsAt").asText().equals(a.get("startsAt").asText()))).hasSize(1);
    assertThat(slack(CODE)).as("one Slack message per state change").hasSize(2);
    assertThat(slack(CODE).get(0)).startsWith("[WARNING] " + CODE + " (b)");
    assertThat(slack(CODE).get(1)).startsWith("[RESOLVED] " + CODE + " (b)");
    receivers.accepted(AlertReceiver.SLACK).forEach(m -> assertThat(PayloadSchemas.slack(m)).isEmpty());
  }

  @Test
  @Order(2)
  void twoControllersKilledTheSurvivorPagesItsOwnMinorityWithoutAQuorum() throws Exception {
    for (var p : cluster.config.controllers().peers()) {
      if (cluster.controllers.stream().noneMatch(c -> id(c).equals(p.id()))) {
        cluster.revive(p.id()); // left down by a failed test before
      }
    }
    for (String p : List.of(AlertReceiver.SLACK, AlertReceiver.PAGERDUTY, AlertReceiver.ALERTMANAGER)) {
      receivers.heal(p);
    }
    await().atMost(WAIT).until(() -> cluster.leader() != null && cluster.controllers.stream()
        .allMatch(c -> c.raft().inMajority()));
    List<PharosController> all = List.copyOf(cluster.controllers);
    PharosController survivor = all.get(2);
    cluster.kill(id(all.get(0)));
    cluster.kill(id(all.get(1)));
    String minority = "/" + id(survivor) + "/ControllerMinority/";
    await().atMost(WAIT).until(() -> receivers.accepted(AlertReceiver.PAGERDUTY).stream()
        .anyMatch(e -> e.get("dedup_key").asText().contains(minority)));
    JsonNode page = receivers.accepted(AlertReceiver.PAGERDUTY).stream()
        .filter(e -> e.get("dedup_key").asText().contains(minority)).findFirst().orElseThrow();
    assertThat(PayloadSchemas.pagerDuty(page)).isEmpty();
    assertThat(page.get("event_action").asText()).isEqualTo("trigger");
    assertThat(page.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(page.at("/payload/source").asText()).isEqualTo(id(survivor));
    await().atMost(WAIT).until(() -> slack("ControllerMinority").stream()
        .anyMatch(t -> t.contains("(controller " + id(survivor) + ")")) && alertmanager("ControllerMinority").stream()
        .anyMatch(a -> a.at("/annotations/controller").asText().equals(id(survivor))));
    assertThat(survivor.raft().isActingLeader()).isFalse();
  }
}
