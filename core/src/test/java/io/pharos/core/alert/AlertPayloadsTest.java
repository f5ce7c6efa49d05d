package io.pharos.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.config.AlertsConfig;
import io.pharos.core.config.AlertsConfig.Receiver;
import io.pharos.core.config.AlertsConfig.ReceiverType;
import io.pharos.core.config.AlertsConfig.Severity;
import io.pharos.core.journal.OutboxAlert;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The payload fields (the whole schema is checked at local receivers: testkit PayloadSchemas). */
class AlertPayloadsTest {
  static final OutboxAlert RAISE = new OutboxAlert(7, 7, "RegionDown", "CRITICAL", "b", "b failing from a and c",
      false, 1_700_000_000_000L, "c-a");
  static final OutboxAlert CLEAR = new OutboxAlert(9, 7, "RegionDown", "CRITICAL", "b", "b healthy", true,
      1_700_000_060_000L, "c-b");

  @Test
  void raiseAndClearShareTheDedupKeyOfTheRaise() {
    AlertNotice raise = AlertNotice.of(RAISE, "prod");
    AlertNotice clear = AlertNotice.of(CLEAR, "prod");
    assertThat(raise.dedupKey()).isEqualTo("pharos/prod/RegionDown/b/7").isEqualTo(clear.dedupKey());
    assertThat(raise.title()).isEqualTo("[CRITICAL] RegionDown (b)");
    assertThat(clear.title()).isEqualTo("[RESOLVED] RegionDown (b)");
    assertThat(AlertNotice.localKey("prod", "c-a", "ControllerMinority", "*", 5))
        .isEqualTo("pharos/prod/c-a/ControllerMinority/*/5");
  }

  @Test
  void pagerDutyTriggerAndResolveFollowEventsV2() {
    JsonNode trigger = AlertPayloads.pagerDuty(AlertNotice.of(RAISE, "prod"), "test-only-key");
    assertThat(trigger.get("routing_key").asText()).isEqualTo("test-only-key");
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(trigger.at("/payload/source").asText()).isEqualTo("c-a");
    assertThat(trigger.at("/payload/timestamp").asText()).isEqualTo(Instant.ofEpochMilli(RAISE.at()).toString());
    assertThat(trigger.at("/payload/summary").asText()).isEqualTo("[CRITICAL] RegionDown (b): b failing from a and c");
    JsonNode resolve = AlertPayloads.pagerDuty(AlertNotice.of(CLEAR, "prod"), "test-only-key");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
  }

  @Test
  void aLongSummaryIsCutToPagerDutysLimit() {
    OutboxAlert longOne = new OutboxAlert(1, 1, "RegionDown", "CRITICAL", "b", "x".repeat(5_000), false, 0, "c-a");
    JsonNode trigger = AlertPayloads.pagerDuty(AlertNotice.of(longOne, "prod"), "k");
    assertThat(trigger.at("/payload/summary").asText()).hasSize(AlertPayloads.PAGERDUTY_SUMMARY_MAX);
  }

  @Test
  void slackHasTextAndBlocks() {
    JsonNode m = AlertPayloads.slack(AlertNotice.of(RAISE, "prod"));
    assertThat(m.get("text").asText()).startsWith("[CRITICAL] RegionDown (b)");
    assertThat(m.at("/blocks/0/text/text").asText()).isEqualTo("[CRITICAL] RegionDown (b)");
    assertThat(m.at("/blocks/2/elements/0/text").asText()).contains("pharos/prod/RegionDown/b/7");
  }

  @Test
  void alertmanagerGetsLabelsAnnotationsAndTimes() {
    JsonNode body = AlertPayloads.alertmanager(List.of(AlertNotice.of(RAISE, "prod"), AlertNotice.of(CLEAR, "prod")));
    JsonNode firing = body.get(0);
    assertThat(firing.at("/labels/alertname").asText()).isEqualTo("RegionDown");
    assertThat(firing.at("/labels/severity").asText()).isEqualTo("critical");
    assertThat(firing.at("/labels/region").asText()).isEqualTo("b");
    assertThat(firing.at("/labels/dedup_key").asText()).isEqualTo("pharos/prod/RegionDown/b/7");
    assertThat(Instant.parse(firing.get("endsAt").asText()))
        .isEqualTo(Instant.ofEpochMilli(RAISE.at()).plus(AlertPayloads.ALERTMANAGER_HOLD));
    JsonNode resolved = body.get(1);
    assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
    assertThat(resolved.get("endsAt").asText()).isEqualTo(Instant.ofEpochMilli(CLEAR.at()).toString());
  }

  @Test
  void routesBySeverityAndNeverTellsAFailingReceiverAboutItself() {
    Receiver oncall = new Receiver("oncall", ReceiverType.PAGERDUTY, AlertsConfig.PAGERDUTY_EVENTS_URL, null,
        Set.of(Severity.CRITICAL));
    Receiver chat = new Receiver("chat", ReceiverType.SLACK, "http://127.0.0.1:9/x", null,
        Set.of(Severity.WARNING, Severity.CRITICAL));
    AlertNotice critical = AlertNotice.of(RAISE, "prod");
    AlertNotice warning = AlertNotice.of(new OutboxAlert(1, 1, "RegionDegraded", "WARNING", "a", "m", false, 0, "c"),
        "prod");
    assertThat(AlertRouting.routes(oncall, critical)).isTrue();
    assertThat(AlertRouting.routes(oncall, warning)).isFalse();
    assertThat(AlertRouting.routes(chat, warning)).isTrue();
    AlertNotice chatFailing = new AlertNotice("k", AlertRouting.DELIVERY_FAILING, Severity.CRITICAL, "chat", "m", false,
        0, "c-a", "prod", 0);
    assertThat(AlertRouting.routes(chat, chatFailing)).isFalse();
    assertThat(AlertRouting.routes(oncall, chatFailing)).isTrue();
  }
}
