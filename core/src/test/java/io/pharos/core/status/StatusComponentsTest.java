package io.pharos.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.EvacuationStarted;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.MaintenanceScheduled;
import io.pharos.core.status.StatusComponents.Component;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a component's state is chosen, in the order {@link StatusComponents} checks them. */
class StatusComponentsTest {
  static final PharosConfig CONFIG = TestConfigs.threeRegions();
  static final Map<String, RegionState> HEALTHY = Map.of("a", RegionState.HEALTHY, "b", RegionState.HEALTHY, "c",
      RegionState.HEALTHY);

  static Map<String, ComponentState> states(ControlState s, Map<String, RegionState> health, List<Analysis> a,
      long now) {
    Map<String, ComponentState> out = new LinkedHashMap<>();
    for (Component c : StatusComponents.of(CONFIG, s, health, a, now)) {
      out.put(c.name(), c.state());
    }
    return out;
  }

  static Map<String, RegionState> with(String region, RegionState state) {
    Map<String, RegionState> h = new LinkedHashMap<>(HEALTHY);
    h.put(region, state);
    return h;
  }

  @Test
  void healthyRegionsAndTheirServiceAreOperational() {
    ControlState s = ControlState.initial(CONFIG);
    assertThat(states(s, HEALTHY, List.of(), 0)).containsExactly(Map.entry("a", ComponentState.OPERATIONAL),
        Map.entry("b", ComponentState.OPERATIONAL), Map.entry("c", ComponentState.OPERATIONAL),
        Map.entry("app.pharos.test", ComponentState.OPERATIONAL));
    assertThat(StatusComponents.overall(StatusComponents.of(CONFIG, s, HEALTHY, List.of(), 0)))
        .isEqualTo(ComponentState.OPERATIONAL);
    assertThat(states(s, Map.of(), List.of(), 0)).as("before the first step: from the journal alone")
        .containsValue(ComponentState.OPERATIONAL).doesNotContainValue(ComponentState.MAJOR_OUTAGE);
  }

  @Test
  void aRegionDownIsAMajorOutageAndItsServiceDegradedWhileOthersServe() {
    ControlState s = ControlState.initial(CONFIG);
    Map<String, ComponentState> down = states(s, with("b", RegionState.DOWN), List.of(), 0);
    assertThat(down.get("b")).isEqualTo(ComponentState.MAJOR_OUTAGE);
    assertThat(down.get("app.pharos.test")).isEqualTo(ComponentState.DEGRADED);
    // failed over: out of traffic (and read-only) whatever the verdict says now
    s = s.apply(new Intent("d1", IntentKind.FAILOVER, List.of("b"), Set.of("b"), Set.of("b"),
        Map.of("app.pharos.test", Map.of("a", 71, "b", 0, "c", 29)), "RegionDown", "b down", true, 0, 0, 3, 10, "c1"),
        3, 5).state();
    Map<String, ComponentState> out = states(s, with("b", RegionState.RECOVERING), List.of(), 20);
    assertThat(out.get("b")).isEqualTo(ComponentState.MAJOR_OUTAGE);
    assertThat(out.get("app.pharos.test")).isEqualTo(ComponentState.DEGRADED);
    assertThat(out.get("a")).isEqualTo(ComponentState.OPERATIONAL);
    assertThat(StatusComponents.overall(StatusComponents.of(CONFIG, s, Map.of(), List.of(), 20)))
        .as("a region out while the others carry its services: a partial outage").isEqualTo(ComponentState.DEGRADED);
  }

  @Test
  void everyRegionDownIsAMajorOutageOfTheService() {
    Map<String, RegionState> all = Map.of("a", RegionState.DOWN, "b", RegionState.DOWN, "c", RegionState.DOWN);
    Map<String, ComponentState> s = states(ControlState.initial(CONFIG), all, List.of(), 0);
    assertThat(s).containsEntry("app.pharos.test", ComponentState.MAJOR_OUTAGE);
    assertThat(StatusComponents.headline(ComponentState.MAJOR_OUTAGE)).isEqualTo("Major outage");
  }

  @Test
  void degradedIsDegradedButSuspectAndRecoveringAreNot() {
    ControlState s = ControlState.initial(CONFIG);
    assertThat(states(s, HEALTHY, List.of(new Analysis(AnalysisCode.REGION_DEGRADED, "c", "5 % errors")), 0)
        .get("c")).isEqualTo(ComponentState.DEGRADED);
    assertThat(states(s, with("c", RegionState.RECOVERING), List.of(), 0).get("c")).as("in traffic, probes pass")
        .isEqualTo(ComponentState.OPERATIONAL);
    assertThat(states(s, with("c", RegionState.SUSPECT), List.of(), 0).get("c"))
        .as("one vantage's doubt does not flicker the public page").isEqualTo(ComponentState.OPERATIONAL);
  }

  @Test
  void announcedMaintenanceAndEvacuationAreMaintenanceWhileOpen() {
    ControlState s = ControlState.initial(CONFIG).apply(new MaintenanceScheduled("mw-1", List.of("c"), 1_000, 2_000,
        "network work", "alice", "planned", 3, 500, "c1"), 3, 5).state();
    assertThat(states(s, HEALTHY, List.of(), 900).get("c")).as("announced, not yet open")
        .isEqualTo(ComponentState.OPERATIONAL);
    assertThat(states(s, with("c", RegionState.DOWN), List.of(), 1_500).get("c")).as("planned work wins")
        .isEqualTo(ComponentState.MAINTENANCE);
    assertThat(states(s, HEALTHY, List.of(), 1_500).get("app.pharos.test")).isEqualTo(ComponentState.OPERATIONAL);
    assertThat(states(s, HEALTHY, List.of(), 2_000).get("c")).isEqualTo(ComponentState.OPERATIONAL);
    ControlState ev = ControlState.initial(CONFIG).apply(new EvacuationStarted("ev-a-1", "a", List.of(50, 0), 1_000,
        "alice", "kernel upgrade", 3, 100, "c1"), 3, 7).state();
    assertThat(states(ev, HEALTHY, List.of(), 200).get("a")).isEqualTo(ComponentState.MAINTENANCE);
  }
}
