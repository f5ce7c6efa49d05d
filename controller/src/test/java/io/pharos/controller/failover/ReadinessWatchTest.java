package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.alert.AlertJournal;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Readiness;
import io.pharos.core.decision.Step;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.health.CapacityReading;
import io.pharos.core.health.ClusterView;
import io.pharos.core.journal.AlertRaised;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover readiness on a controller: the survivors' capacity endpoints report too little headroom
 * (as their agents carried it into the decision loop's picture) → a warning alert through the alert
 * journal, and, with {@code policy.capacity: shape}, a weight plan that respects their capacity.
 */
class ReadinessWatchTest {
  static final String RECORD = "app.pharos.test";
  @TempDir
  Path dir;
  FailoverFixture f;
  EmbeddedDnsProvider provider;
  final AtomicReference<Map<String, CapacityReading>> capacity = new AtomicReference<>(Map.of());
  ReadinessWatch watch;

  @BeforeEach
  void setUp() {
    PharosConfig config = io.pharos.testkit.config.TestConfigs.parse("""
        regions:
          - { name: a, capacity: "http://127.0.0.1:9/cap-a", endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, capacity: "http://127.0.0.1:9/cap-b", endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
          - { name: c, capacity: "http://127.0.0.1:9/cap-c", endpoints: [ { id: app, url: "http://127.0.0.1:9/c" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"], c: ["10.0.0.3"] },
                       weights: { a: 50, b: 30, c: 20 } } ]
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        policy: { capacity: shape }
        """ + io.pharos.testkit.config.TestConfigs.securityYaml());
    f = new FailoverFixture(dir, config, null);
    provider = new EmbeddedDnsProvider(config.dns(), new JournalZoneStore(f.journal, "c1", f.clock), f.clock);
    watch = new ReadinessWatch(config, f.clock, f.journal, provider, this::step, f.metrics.errors());
    f.journal.becomeLeader();
  }

  @AfterEach
  void close() throws Exception {
    provider.close();
    watch.close();
    f.close();
  }

  private Step step() {
    ClusterView view = new ClusterView(f.clock.millis(), Map.of(), Map.of(), Map.of(), 0, List.of(), 0, capacity.get());
    return new Step(f.clock.millis(), Map.of(), Map.of(), List.of(), List.of(), null, null, null, view);
  }

  @Test
  void survivorsWithTooLittleHeadroomRaiseAWarningAndTheShapedPlanRespectsTheirCapacity() {
    // b at 30 % of its capacity, c at 95 %: losing a doubles both shares, which c cannot carry
    capacity.set(Map.of("a", new CapacityReading("a", 50, "agent-a", 1), "b", new CapacityReading("b", 70, "agent-b", 1),
        "c", new CapacityReading("c", 5, "agent-c", 1)));
    Readiness advisoryWouldBe = watch.evaluate();
    Readiness.RegionFailover a = advisoryWouldBe.failovers().get(0);
    assertThat(a.region()).isEqualTo("a");
    Map<String, Integer> planned = WeightPlan.plan(f.config.dns(), List.of("a")).orElseThrow().get(RECORD);
    Map<String, Integer> shaped = a.weights().get(RECORD);
    assertThat(shaped.get("a")).isZero();
    assertThat(shaped.get("c")).as("c gets less than its configured share").isLessThan(planned.get("c"));
    assertThat(a.survivors()).allSatisfy(l -> assertThat(l.overloaded()).as(l.describe()).isFalse());
    assertThat(a.ok()).isTrue();
    // losing b pushes c over too: c would need 95 % x 1.43; shaped onto a, which has room
    Readiness.RegionFailover b = advisoryWouldBe.failovers().get(1);
    assertThat(b.weights().get(RECORD).get("c")).isLessThan(WeightPlan.plan(f.config.dns(), List.of("b")).orElseThrow()
        .get(RECORD).get("c"));

    // now every survivor is full: no weight plan can respect them; the failover would overload
    capacity.set(Map.of("a", new CapacityReading("a", 5, "agent-a", 1), "b", new CapacityReading("b", 5, "agent-b", 1),
        "c", new CapacityReading("c", 5, "agent-c", 1)));
    Readiness full = watch.evaluate();
    assertThat(full.ready()).isFalse();
    assertThat(full.failovers()).allSatisfy(x -> assertThat(x.ok()).isFalse());
    List<AlertRaised> raised = new ArrayList<>();
    AlertJournal alerts = new AlertJournal("c1", f.clock, raised::add, f.journal::term);
    alerts.update(watch.analyses());
    assertThat(raised).filteredOn(x -> x.region() != null).extracting(AlertRaised::region)
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(raised).allSatisfy(x -> {
      assertThat(x.code()).isEqualTo("FailoverAtRisk");
      assertThat(x.severity()).isEqualTo("WARNING");
    });
    assertThat(raised).filteredOn(x -> "a".equals(x.region())).singleElement()
        .satisfies(x -> assertThat(x.message()).contains("even shaped by headroom, survivors would be overloaded"));

    ObjectNode json = watch.json();
    assertThat(json.path("ready").asBoolean()).isFalse();
    assertThat(json.path("capacityPolicy").asText()).isEqualTo("shape");
    assertThat(json.path("failovers").path("a").path("survivors").get(0).path("headroomPercent").asInt()).isEqualTo(5);

    // headroom back: the warnings clear
    capacity.set(Map.of("a", new CapacityReading("a", 80, "agent-a", 1), "b", new CapacityReading("b", 80, "agent-b", 1),
        "c", new CapacityReading("c", 80, "agent-c", 1)));
    watch.evaluate();
    raised.clear();
    alerts.update(watch.analyses());
    assertThat(raised).filteredOn(x -> x.region() != null).allSatisfy(x -> assertThat(x.cleared()).isTrue())
        .hasSize(3);
  }
}
