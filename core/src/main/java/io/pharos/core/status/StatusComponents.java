package io.pharos.core.status;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.MaintenanceWindow;
import io.pharos.core.model.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status page's components from a controller's current view, in one place: one per region and
 * one per service (DNS record). Pure: the same picture gives the same page on every controller.
 *
 * <p>A region is <b>Maintenance</b> while an announced window is open or an operator evacuates it
 * (planned work wins over what the probes say); <b>Major Outage</b> while it is out of traffic or
 * judged DOWN; <b>Degraded</b> while its error rate is above {@code degradedErrorRate}
 * ({@code RegionDegraded}) or it is read-only; else <b>Operational</b>. A SUSPECT region (some
 * failing votes, no majority) and a RECOVERING one in traffic (probes pass, the stabilisation window
 * runs) stay Operational: a public page does not flicker on one vantage's doubt. A service is <b>Major Outage</b> when no region serves it,
 * <b>Degraded</b> when one of its regions is out, down or degraded while others carry it, else
 * <b>Operational</b> (with the regions in maintenance named).
 */
public final class StatusComponents {
  private StatusComponents() {}

  /** One line of the page. */
  public record Component(String name, Kind kind, ComponentState state, String detail) {}

  public enum Kind {
    REGION,
    SERVICE
  }

  /**
   * @param health the decision loop's latest verdicts per region, or an empty map before the first step
   * @param analyses the latest step's findings (empty before the first)
   */
  public static List<Component> of(PharosConfig config, ControlState state, Map<String, RegionState> health,
      List<Analysis> analyses, long now) {
    List<Component> out = new ArrayList<>();
    Map<String, Component> regions = new java.util.LinkedHashMap<>();
    for (String r : config.regionNames()) {
      Component c = region(r, state, health.get(r), analyses, now);
      regions.put(r, c);
      out.add(c);
    }
    for (RecordConfig rec : config.dns().records()) {
      out.add(service(rec, state, regions));
    }
    return out;
  }

  static Component region(String r, ControlState state, RegionState health, List<Analysis> analyses, long now) {
    for (MaintenanceWindow w : state.statusHistory().maintenance()) {
      if (w.activeAt(now) && w.regions().contains(r)) {
        return new Component(r, Kind.REGION, ComponentState.MAINTENANCE, "scheduled maintenance: " + w.title());
      }
    }
    Evacuation ev = state.evacuation();
    if (ev != null && ev.region().equals(r)) {
      return new Component(r, Kind.REGION, ComponentState.MAINTENANCE, "planned evacuation: traffic at "
          + ev.percentNow() + " % of its share");
    }
    if (state.out().contains(r)) {
      return new Component(r, Kind.REGION, ComponentState.MAJOR_OUTAGE, "out of traffic: served by the other regions");
    }
    if (health == RegionState.DOWN) {
      return new Component(r, Kind.REGION, ComponentState.MAJOR_OUTAGE, "failing from the other regions");
    }
    boolean degraded = analyses.stream().anyMatch(a -> a.code() == AnalysisCode.REGION_DEGRADED && r.equals(a.region()));
    if (degraded) {
      return new Component(r, Kind.REGION, ComponentState.DEGRADED, "elevated error rate");
    }
    var mode = state.modes().get(r);
    if (mode != null && mode.mode() == Mode.READ_ONLY) {
      return new Component(r, Kind.REGION, ComponentState.DEGRADED, "read-only");
    }
    return new Component(r, Kind.REGION, ComponentState.OPERATIONAL, health == RegionState.RECOVERING
        ? "recovered, being watched" : "");
  }

  static Component service(RecordConfig rec, ControlState state, Map<String, Component> regions) {
    Map<String, Integer> served = state.zone().weights().getOrDefault(rec.name(), rec.weights());
    List<String> serving = new ArrayList<>();
    List<String> impaired = new ArrayList<>();
    List<String> maintenance = new ArrayList<>();
    for (String r : rec.weights().keySet().stream().sorted().toList()) {
      Component c = regions.get(r);
      ComponentState s = c == null ? ComponentState.OPERATIONAL : c.state();
      if (served.getOrDefault(r, 0) > 0 && s != ComponentState.MAJOR_OUTAGE) {
        serving.add(r);
      }
      if (s == ComponentState.MAJOR_OUTAGE || s == ComponentState.DEGRADED) {
        impaired.add(r);
      } else if (s == ComponentState.MAINTENANCE) {
        maintenance.add(r);
      }
    }
    if (serving.isEmpty()) {
      return new Component(rec.name(), Kind.SERVICE, ComponentState.MAJOR_OUTAGE, "no region is serving it");
    }
    String from = "served from " + String.join(", ", serving);
    if (!impaired.isEmpty()) {
      return new Component(rec.name(), Kind.SERVICE, ComponentState.DEGRADED, from + "; impaired: "
          + String.join(", ", impaired));
    }
    return new Component(rec.name(), Kind.SERVICE, ComponentState.OPERATIONAL, maintenance.isEmpty() ? from
        : from + "; in maintenance: " + String.join(", ", maintenance));
  }

  /**
   * The page's overall state: the worst service, and a region's outage counts as Degraded while its
   * services are carried by the others (Operational when there are no components).
   */
  public static ComponentState overall(List<Component> components) {
    ComponentState worst = ComponentState.OPERATIONAL;
    for (Component c : components) {
      ComponentState s = c.kind() == Kind.REGION && c.state() == ComponentState.MAJOR_OUTAGE ? ComponentState.DEGRADED
          : c.state();
      worst = worst.worse(s);
    }
    return worst;
  }

  /** The page's headline for {@code overall}. */
  public static String headline(ComponentState overall) {
    return switch (overall) {
      case OPERATIONAL -> "All systems operational";
      case MAINTENANCE -> "Maintenance in progress";
      case DEGRADED -> "Partial outage: some systems are degraded";
      case MAJOR_OUTAGE -> "Major outage";
    };
  }
}
