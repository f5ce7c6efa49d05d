package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.journal.Approval;
import io.pharos.testkit.alerts.AlertReceiver;
import io.pharos.testkit.alerts.PayloadSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approve mode end to end on three real controllers: a lost region makes a decision that waits and
 * pages; a rejection changes nothing; an unanswered one is escalated past
 * {@code policy.approvalEscalateAfter} (a second page) and never acts alone; an approval fails the
 * region over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApproveModeClusterTest {
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
          receivers:
            - { name: oncall, type: pagerduty, url: "%s", routingKeyFile: "%s" }
            - { name: chat, type: slack, url: "%s", severities: [info, warning, critical] }
        """.formatted(receivers.url(AlertReceiver.PAGERDUTY), key, receivers.url(AlertReceiver.SLACK));
    cluster = new TestCluster(dir, "{ startupGrace: 0s, cooldown: 1m, recoverAfter: 2s, mode: approve,"
        + " approvalEscalateAfter: 4s }", alerts);
    cluster.startAgents();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    receivers.close();
  }

  private List<JsonNode> pages(String code, String action) {
    return receivers.accepted(AlertReceiver.PAGERDUTY).stream()
        .filter(e -> e.get("dedup_key").asText().contains("/" + code + "/b/"))
        .filter(e -> e.get("event_action").asText().equals(action)).toList();
  }

  private Approval waiting() {
    await().atMost(WAIT).until(() -> cluster.leader() != null && cluster.leader().state().approvals().values()
        .stream().anyMatch(a -> a.status() == Approval.Status.WAITING));
    return cluster.leader().state().approvals().values().stream().filter(a -> a.status() == Approval.Status.WAITING)
        .findFirst().orElseThrow();
  }

  private int weightOfB(PharosController c) {
    return c.state().zone().weights().get("app.pharos.test").get("b");
  }

  private boolean healthy(String region) {
    return cluster.controllers.stream().allMatch(c -> c.view().status().at("/regions/" + region + "/state").asText()
        .equals("HEALTHY"));
  }

  @Test
  void aLostRegionWaitsAndPagesARejectionChangesNothingAnUnansweredOneEscalatesAndAnApprovalFailsOver()
      throws Exception {
    await().atMost(WAIT).until(() -> cluster.leader() != null && healthy("a") && healthy("b") && healthy("c"));
    cluster.dead.add("b");
    Approval first = waiting();
    assertThat(first.regions()).containsExactly("b");
    assertThat(first.why()).isEqualTo("policy.mode is approve");
    assertThat(first.reason()).contains("other regions see it failing");
    // the wait pages, with the evidence and the commands that answer it
    await().atMost(WAIT).until(() -> pages("FailoverAwaitingApproval", "trigger").size() == 1);
    JsonNode page = pages("FailoverAwaitingApproval", "trigger").get(0);
    assertThat(PayloadSchemas.pagerDuty(page)).isEmpty();
    assertThat(page.at("/payload/summary").asText()).contains("pharos approve " + first.decisionId());

    var rejected = TestCluster.post(cluster.leader(), "/v1/decisions/" + first.decisionId() + "/reject",
        "{\"reason\":\"known maintenance in b\"}", cluster.operatorToken);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cluster.leader().state().approvals().get(first.decisionId()).status()
        == Approval.Status.REJECTED);
    // rejected: nothing moves, and the page is resolved
    await().atMost(WAIT).until(() -> pages("FailoverAwaitingApproval", "resolve").size() == 1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> cluster.controllers.stream()
        .allMatch(c -> c.state().out().isEmpty() && weightOfB(c) > 0));

    // b comes back, then is lost again: a new decision waits; nobody answers
    cluster.dead.remove("b");
    await().atMost(WAIT).until(() -> healthy("b"));
    cluster.dead.add("b");
    await().atMost(WAIT).until(() -> !waiting().decisionId().equals(first.decisionId()));
    Approval second = waiting();
    await().atMost(WAIT).until(() -> pages("FailoverAwaitingApproval", "trigger").size() == 2);
    await().atMost(WAIT).until(() -> pages("ApprovalOverdue", "trigger").size() == 1);
    JsonNode escalation = pages("ApprovalOverdue", "trigger").get(0);
    assertThat(PayloadSchemas.pagerDuty(escalation)).isEmpty();
    assertThat(escalation.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(escalation.at("/payload/summary").asText()).contains("policy.approvalEscalateAfter 4s")
        .contains("pharos approve " + second.decisionId());
    assertThat(escalation.get("dedup_key")).isNotEqualTo(pages("FailoverAwaitingApproval", "trigger").get(1)
        .get("dedup_key"));
    assertThat(cluster.controllers).allSatisfy(c -> assertThat(c.state().out()).as("never acts alone").isEmpty());

    var approved = TestCluster.post(cluster.leader(), "/v1/decisions/" + second.decisionId() + "/approve",
        "{\"reason\":\"b is down, checked\"}", cluster.operatorToken);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cluster.controllers.stream().allMatch(c -> weightOfB(c) == 0
        && c.state().out().contains("b")));
    // the wait and its escalation are resolved; the executed failover is told (info, to the chat)
    await().atMost(WAIT).until(() -> pages("ApprovalOverdue", "resolve").size() == 1
        && pages("FailoverAwaitingApproval", "resolve").size() == 2);
    await().atMost(WAIT).until(() -> receivers.accepted(AlertReceiver.SLACK).stream()
        .anyMatch(m -> m.get("text").asText().startsWith("[INFO] FailoverCompleted (b)")));
    cluster.dead.remove("b");
  }
}
