package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.AlertsConfig.ReceiverType;
import io.pharos.core.config.AlertsConfig.Severity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
  /** Throwaway values (test-only, not secrets). */
  static final String SLACK_URL = "https://hooks.slack.example/services/T0/B0/test-only";
  static final String ROUTING_KEY = "test-only-routing-key";

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(TestConfigs.ENV);
    env.put("PHAROS_SLACK_URL", SLACK_URL);
    env.put("PHAROS_PD_KEY", ROUTING_KEY);
    return env;
  }

  @Test
  void withoutAnAlertsSectionThereAreNoReceiversAndTheDocumentedDefaults() {
    AlertsConfig a = TestConfigs.threeRegions().alerts();
    assertThat(a).isEqualTo(AlertsConfig.defaults());
    assertThat(a.receivers()).isEmpty();
    assertThat(a.maxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(a.attempts()).isEqualTo(5);
    assertThat(a.initialBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(a.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.failingAfter()).isEqualTo(3);
    assertThat(a.controlPlaneHold()).isEqualTo(Duration.ofSeconds(5));
    assertThat(TestConfigs.threeRegions().policy().approvalEscalateAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void readsReceiversWithTheirSeveritiesAndSecretsFromTheEnvironmentOrAFile() {
    String yaml = TestConfigs.threeRegionsYaml() + """
        alerts:
          maxAge: 30m
          retry: { attempts: 3, initialBackoff: 100ms, maxBackoff: 2s }
          timeout: 2s
          failingAfter: 2
          receivers:
            - { name: chat, type: slack, urlEnv: PHAROS_SLACK_URL }
            - { name: oncall, type: pagerduty, routingKeyEnv: PHAROS_PD_KEY, severities: [critical, warning] }
            - { name: oncall-file, type: pagerduty, url: "http://127.0.0.1:9/v2/enqueue", routingKeyFile: /run/secrets/pd }
            - { name: am, type: alertmanager, url: "http://alertmanager:9093" }
        """;
    AlertsConfig a = ConfigLoader.parse(yaml, env()).alerts();
    assertThat(a.maxAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(a.attempts()).isEqualTo(3);
    assertThat(a.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(a.failingAfter()).isEqualTo(2);
    assertThat(a.receivers()).extracting(AlertsConfig.Receiver::name).containsExactly("chat", "oncall", "oncall-file",
        "am");
    var chat = a.receivers().get(0);
    assertThat(chat.type()).isEqualTo(ReceiverType.SLACK);
    assertThat(chat.severities()).containsExactlyInAnyOrder(Severity.WARNING, Severity.CRITICAL);
    assertThat(chat.secret().resolve(f -> null)).isEqualTo(SLACK_URL);
    var oncall = a.receivers().get(1);
    assertThat(oncall.url()).isEqualTo(AlertsConfig.PAGERDUTY_EVENTS_URL);
    assertThat(oncall.severities()).containsExactlyInAnyOrder(Severity.WARNING, Severity.CRITICAL);
    assertThat(oncall.secret().resolve(f -> null)).isEqualTo(ROUTING_KEY);
    var fromFile = a.receivers().get(2);
    assertThat(fromFile.severities()).containsExactly(Severity.CRITICAL);
    assertThat(fromFile.secret().resolve(f -> f.equals("/run/secrets/pd") ? "key-from-file\n" : null))
        .isEqualTo("key-from-file");
    assertThat(a.receivers().get(3).severities()).containsExactlyInAnyOrder(Severity.values());
    // a secret is never printed
    assertThat(a.toString()).doesNotContain(SLACK_URL).doesNotContain(ROUTING_KEY).contains("$PHAROS_SLACK_URL");
  }

  @Test
  void namesEveryBadFieldByItsPathWithoutPrintingASecret() {
    Map<String, String> env = env();
    env.put("PHAROS_BAD_URL", "not a url but a secret-looking value");
    String yaml = TestConfigs.threeRegionsYaml() + """
        policy: { approvalEscalateAfter: 0s }
        alerts:
          retry: { initialBackoff: 5s, maxBackoff: 1s }
          receivers:
            - { name: chat, type: slack }
            - { name: chat, type: slack, urlEnv: PHAROS_SLACK_URL }
            - { name: oncall, type: pagerduty, severities: [critcal] }
            - { name: am, type: alertmanager }
            - { name: bad, type: slack, urlEnv: PHAROS_BAD_URL }
            - { name: unset, type: pagerduty, routingKeyEnv: PHAROS_NOT_SET }
            - { name: x, type: teams, url: "http://x" }
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("policy.approvalEscalateAfter")
        .hasMessageContaining("alerts.retry.maxBackoff")
        .hasMessageContaining("alerts.receivers[0]")
        .hasMessageContaining("exactly one of url, urlEnv or urlFile")
        .hasMessageContaining("receiver 'chat' is defined twice")
        .hasMessageContaining("alerts.receivers[2].severities")
        .hasMessageContaining("'critcal' is not a severity")
        .hasMessageContaining("routingKeyEnv or routingKeyFile")
        .hasMessageContaining("alerts.receivers[3].url")
        .hasMessageContaining("alerts.receivers[4].urlEnv")
        .hasMessageContaining("PHAROS_NOT_SET is not set")
        .hasMessageContaining("alerts.receivers[6].type")
        .hasMessageNotContaining("secret-looking");
  }
}
