package io.pharos.controller.status;

import io.pharos.controller.status.StatusPageModel.ComponentView;
import io.pharos.controller.status.StatusPageModel.DayView;
import io.pharos.controller.status.StatusPageModel.IncidentView;
import io.pharos.controller.status.StatusPageModel.MaintenanceView;
import io.pharos.controller.status.StatusPageModel.UpdateView;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Incident;
import io.pharos.core.journal.MaintenanceWindow;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.status.ComponentState;
import io.pharos.core.status.StatusComponents;
import io.pharos.core.status.StatusComponents.Component;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link StatusPageModel} from a controller's picture: the journal's state, the decision
 * loop's latest step and the time. Pure; public wording only.
 */
public final class StatusPageModels {
  /** Updates of one incident shown on the page (the report has them all). */
  static final int MAX_UPDATES = 30;

  private StatusPageModels() {}

  public static StatusPageModel build(PharosConfig config, ControlState state, Step step, long now) {
    List<Component> components = StatusComponents.of(config, state, step == null ? Map.of() : step.health(),
        step == null ? List.of() : step.analyses(), now);
    ComponentState overall = StatusComponents.overall(components);
    List<ComponentView> regions = new ArrayList<>();
    List<ComponentView> services = new ArrayList<>();
    for (Component c : components) {
      ComponentView v = new ComponentView(c.name(), c.state().label(), c.state().css(), c.detail());
      (c.kind() == StatusComponents.Kind.REGION ? regions : services).add(v);
    }
    long retention = config.statusPage().retention().toMillis();
    List<IncidentView> current = new ArrayList<>();
    List<IncidentView> history = new ArrayList<>();
    for (Incident inc : state.statusHistory().incidents()) {
      if (inc.open()) {
        current.add(view(inc, now));
      } else if (inc.resolvedAt() >= now - retention) {
        history.add(0, view(inc, now));
      }
    }
    List<MaintenanceView> maintenance = new ArrayList<>();
    for (MaintenanceWindow w : state.statusHistory().maintenance()) {
      if (w.over() >= now - retention) {
        maintenance.add(new MaintenanceView(w.id(), w.title(), w.regions(), iso(w.startsAt()), iso(w.endsAt()),
            w.cancelledAt() > 0 ? "cancelled" : w.activeAt(now) ? "in progress" : w.upcomingAt(now) ? "scheduled"
                : "completed"));
      }
    }
    maintenance.sort(java.util.Comparator.comparing(MaintenanceView::startsAt).reversed());
    int historyDays = (int) Math.max(1, Math.min(config.statusPage().retention().toDays(), 400));
    return new StatusPageModel(config.statusPage().title(), overall.label(), overall.css(),
        StatusComponents.headline(overall), regions, services, current, maintenance,
        days(state, now, historyDays), history, historyDays, state.maintenance() != null, iso(now));
  }

  /** One cell per day, oldest first: the worst of the incidents and maintenance that touched it. */
  static List<DayView> days(ControlState state, long now, int count) {
    LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
    List<DayView> out = new ArrayList<>(count);
    for (int k = count - 1; k >= 0; k--) {
      LocalDate day = today.minusDays(k);
      long from = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      long to = from + 86_400_000L;
      ComponentState worst = ComponentState.OPERATIONAL;
      List<String> what = new ArrayList<>();
      for (Incident inc : state.statusHistory().incidents()) {
        long end = inc.open() ? now : inc.resolvedAt();
        if (inc.openedAt() < to && end >= from) {
          worst = worst.worse(severity(inc));
          what.add(inc.title());
        }
      }
      for (MaintenanceWindow w : state.statusHistory().maintenance()) {
        if (w.cancelledAt() == 0 && w.startsAt() < to && w.endsAt() >= from && w.startsAt() <= now) {
          worst = worst.worse(ComponentState.MAINTENANCE);
          what.add("maintenance: " + w.title());
        }
      }
      out.add(new DayView(day.toString(), worst.css(), day + ": " + (what.isEmpty() ? "no incidents"
          : String.join("; ", what))));
    }
    return out;
  }

  static ComponentState severity(Incident inc) {
    return switch (inc.kind()) {
      case FAILOVER -> ComponentState.MAJOR_OUTAGE;
      case EVACUATION -> ComponentState.MAINTENANCE;
      case FAILBACK -> ComponentState.DEGRADED;
    };
  }

  static IncidentView view(Incident inc, long now) {
    List<UpdateView> updates = new ArrayList<>();
    for (PharosEvent e : inc.timeline()) {
      String text = publicText(e);
      if (text != null) {
        updates.add(0, new UpdateView(iso(e.at()), text));
      }
    }
    if (!inc.open()) {
      updates.add(0, new UpdateView(iso(inc.resolvedAt()), "Resolved: every region is back in traffic."));
    }
    long end = inc.open() ? now : inc.resolvedAt();
    return new IncidentView(inc.id(), inc.title(), inc.status().label(), inc.kind().name().toLowerCase(
        java.util.Locale.ROOT), severity(inc).label(), inc.regions(), iso(inc.openedAt()),
        inc.resolvedAt() == 0 ? null : iso(inc.resolvedAt()), io.pharos.core.status.HumanDurations.human(end
            - inc.openedAt()), updates.size() > MAX_UPDATES ? updates.subList(0, MAX_UPDATES) : updates);
  }

  /**
   * A timeline event in words a public page may show (the region, what the controllers did), or
   * null for events it does not show. Details (evidence, weights, controllers) stay in the report.
   */
  static String publicText(PharosEvent e) {
    String r = e.region() == null ? "" : e.region().replace(",", ", ");
    return switch (e.type()) {
      case FIRST_FAILURE -> null;
      case DETECTED -> "Region " + r + " is failing; the other regions confirm it.";
      case DECIDED -> decided(e, r);
      case FENCED -> "Region " + r + ": writes paused where needed (read-only) before traffic moves.";
      case DNS_COMMITTED -> "DNS updated for " + r + ".";
      case VERIFIED -> "Every name server answers the new addresses.";
      case COMPLETED -> "aborted".equals(e.code()) ? "The change for " + r + " was stopped; traffic stays where it is."
          : "The change for " + r + " is complete.";
      case ALERT -> alert(e, r);
      default -> null;
    };
  }

  private static String decided(PharosEvent e, String r) {
    String d = e.detail() == null ? "" : e.detail();
    if (d.startsWith("FAILBACK")) {
      return "Traffic is returning to " + r + ".";
    }
    if (d.startsWith("EVACUATE")) {
      return "Planned step: moving traffic away from " + r + ".";
    }
    return "Traffic is being moved away from " + r + " to the other regions.";
  }

  private static String alert(PharosEvent e, String r) {
    String code = e.code() == null ? "" : e.code();
    return switch (code) {
      case "EvacuationStarted" -> "Planned evacuation of " + r + " started.";
      case "Evacuated" -> r + " is out of traffic for planned work.";
      case "EvacuationAborted" -> "The evacuation of " + r + " was called off; traffic returns.";
      case "MaintenanceScheduled" -> "Maintenance announced for " + r + ".";
      default -> null;
    };
  }

  static String iso(long at) {
    return Instant.ofEpochMilli(at).toString();
  }
}
