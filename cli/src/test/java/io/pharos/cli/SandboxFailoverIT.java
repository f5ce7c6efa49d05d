package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.observe.DnsQuery;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nine real processes (per region an app, an agent and a controller) from the distribution jar,
 * shared by the scenarios below in order: first a monitoring partition that must not fail over,
 * then a real region loss that must.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxFailoverIT {
  LocalSandbox sandbox;
  long testStart;

  @BeforeAll
  void start() {
    Path runDir = Path.of("target", "it-sandbox-" + System.currentTimeMillis());
    sandbox = LocalSandbox.builder(runDir, Launcher.jar(Path.of("target", "pharos.jar"))).build().start();
    testStart = System.currentTimeMillis();
    sandbox.awaitHealthy(Duration.ofSeconds(180));
    await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.leader().flatMap(sandbox::status)
        .map(s -> s.path("graceRemainingMs").asLong(1) == 0).orElse(false));
  }

  @AfterAll
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void freezingOnlyARegionsAgentIsAMonitoringPartitionNotAFailover() {
    SandboxRegion b = sandbox.region("us-east");
    long t0 = System.currentTimeMillis();
    b.agent().freeze();
    try {
      EventFeed feed = feed(t0);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        feed.poll();
        return feed.all().stream().anyMatch(e -> e.type() == EventType.ALERT
            && "MonitoringPartition".equals(e.code()) && "us-east".equals(e.region()));
      });
      // the picture holds for several more seconds and nothing moves
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> noIntentSince(t0));
      assertWeightsNeverAllZero();
      assertThat(answer()).contains(b.target());
    } finally {
      b.agent().resume();
    }
    sandbox.awaitHealthy(Duration.ofSeconds(60));
    assertThat(noIntentSince(t0)).isTrue();
  }

  @Test
  @Order(2)
  void killingARegionsAppFailsItOverToTheOthers() {
    SandboxRegion b = sandbox.region("us-east");
    long t0 = System.currentTimeMillis();
    b.app().kill();
    EventFeed feed = feed(t0);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      feed.poll();
      return feed.all().stream().anyMatch(e -> e.type() == EventType.COMPLETED);
    });
    List<PharosEvent> events = feed.all();
    PharosEvent decided = events.stream().filter(e -> e.type() == EventType.DECIDED).findFirst().orElseThrow();
    assertThat(decided.region()).isEqualTo("us-east");
    assertThat(events.stream().map(PharosEvent::type).filter(t -> t != EventType.ALERT))
        .containsSubsequence(EventType.DETECTED, EventType.DECIDED, EventType.FENCED, EventType.DNS_COMMITTED,
            EventType.COMPLETED);
    for (SandboxRegion r : sandbox.regions()) {
      JsonNode s = sandbox.status(r).orElseThrow();
      assertThat(s.path("zone").path("weights").path(sandbox.recordName()).path("us-east").asInt()).isZero();
      assertThat(DnsQuery.answer(new HostPort("127.0.0.1", r.dnsPort()), sandbox.recordName(), "A").orElseThrow())
          .doesNotContain(b.target())
          .contains(sandbox.region("eu-west").target(), sandbox.region("ap-south").target());
    }
    assertWeightsNeverAllZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(b.agentUrl() + "/v1/mode")
        .map(r -> "read-only".equals(r.json().path("mode").asText())).orElse(false));
    assertThat(Http.get(sandbox.region("eu-west").agentUrl() + "/v1/mode").orElseThrow().json().path("mode").asText())
        .isEqualTo("read-write");
    long dnsAt = events.stream().filter(e -> e.type() == EventType.DNS_COMMITTED).findFirst().orElseThrow().at();
    System.out.printf("kill -9 of us-east's app: DNS committed %d ms after the fault%n", dnsAt - t0);
  }

  private EventFeed feed(long since) {
    return new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), since);
  }

  private boolean noIntentSince(long t0) {
    EventFeed f = feed(t0);
    f.poll();
    return f.all().stream().noneMatch(e -> e.type() == EventType.DECIDED);
  }

  private Set<String> answer() {
    return DnsQuery.answer(new HostPort("127.0.0.1", sandbox.region("eu-west").dnsPort()), sandbox.recordName(), "A")
        .orElseThrow();
  }

  private void assertWeightsNeverAllZero() {
    for (SandboxRegion r : sandbox.regions()) {
      sandbox.status(r).ifPresent(s -> s.path("zone").path("weights").forEach(record -> {
        int sum = 0;
        for (JsonNode w : record) {
          sum += w.asInt();
        }
        assertThat(sum).as("sum of weights on " + r.controllerId()).isPositive();
      }));
    }
    for (PharosEvent e : feed(testStart).poll()) {
      if (e.type() == EventType.REJECTED) {
        assertThat(e.detail()).doesNotContain("every weight to zero");
      }
    }
  }
}
