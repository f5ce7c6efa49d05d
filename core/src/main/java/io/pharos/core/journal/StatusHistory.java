package io.pharos.core.journal;

import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The status page's own store, part of the replicated state but apart from the 500-event ring:
 * incidents (with what their reports need) and maintenance windows, kept until the leader prunes
 * them past {@code statusPage.retention} ({@link StatusPruned}). Incidents are derived here from
 * the entries the state machine applies, so every replica holds the same ones and a leader change
 * loses none (ADR 0014).
 *
 * @param incidents open and resolved incidents, oldest first
 * @param maintenance announced maintenance windows, in order of announcement
 */
public record StatusHistory(List<Incident> incidents, List<MaintenanceWindow> maintenance) {
  public static final StatusHistory EMPTY = new StatusHistory(List.of(), List.of());
  /** Incidents kept whatever the retention (a bound on the snapshot: about 1 MB at most). */
  public static final int MAX_INCIDENTS = 500;
  /** Maintenance windows not yet over that may be announced at once. */
  public static final int MAX_UPCOMING = 100;
  public static final int MAX_WINDOWS = 500;

  public StatusHistory {
    incidents = incidents == null ? List.of() : List.copyOf(incidents);
    maintenance = maintenance == null ? List.of() : List.copyOf(maintenance);
  }

  public Incident incident(String id) {
    return incidents.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
  }

  /** The open incidents, oldest first. */
  public List<Incident> open() {
    return incidents.stream().filter(Incident::open).toList();
  }

  /** Applies the entries of its own: maintenance announced or called off, and pruning. */
  static Applied apply(ControlState s, JournalEntry e) {
    StatusHistory h = s.statusHistory();
    if (e instanceof MaintenanceScheduled m) {
      String problem = scheduleProblem(s, m);
      if (problem != null) {
        return s.reject(e, e.proposerTerm(), problem);
      }
      List<MaintenanceWindow> next = new ArrayList<>(h.maintenance);
      next.add(new MaintenanceWindow(m.id(), m.regions(), m.startsAt(), m.endsAt(), m.title(), m.by(), m.reason(),
          m.at(), 0));
      while (next.size() > MAX_WINDOWS) {
        next.remove(0);
      }
      PharosEvent ev = new PharosEvent(m.at(), EventType.ALERT, String.join(",", m.regions()), null,
          "MaintenanceScheduled", "maintenance " + m.id() + " announced by " + m.by() + " from "
              + Instant.ofEpochMilli(m.startsAt()) + " to " + Instant.ofEpochMilli(m.endsAt()) + ": " + m.title(),
          m.controller(), null);
      return new Applied(s.toBuilder().statusHistory(new StatusHistory(h.incidents, next))
          .events(ControlState.append(s.events(), List.of(ev))).build(), true, "");
    }
    if (e instanceof MaintenanceCancelled c) {
      List<MaintenanceWindow> next = new ArrayList<>(h.maintenance);
      for (int k = 0; k < next.size(); k++) {
        MaintenanceWindow w = next.get(k);
        if (w.id().equals(c.id())) {
          if (w.cancelledAt() != 0) {
            return s.reject(e, e.proposerTerm(), "maintenance " + c.id() + " was already cancelled");
          }
          if (w.endsAt() <= c.at()) {
            return s.reject(e, e.proposerTerm(), "maintenance " + c.id() + " is over");
          }
          next.set(k, new MaintenanceWindow(w.id(), w.regions(), w.startsAt(), w.endsAt(), w.title(), w.by(),
              w.reason(), w.announcedAt(), c.at()));
          PharosEvent ev = new PharosEvent(c.at(), EventType.ALERT, String.join(",", w.regions()), null,
              "MaintenanceCancelled", "maintenance " + c.id() + " called off by " + c.by() + ": " + c.reason(),
              c.controller(), null);
          return new Applied(s.toBuilder().statusHistory(new StatusHistory(h.incidents, next))
              .events(ControlState.append(s.events(), List.of(ev))).build(), true, "");
        }
      }
      return s.reject(e, e.proposerTerm(), "no maintenance window " + c.id());
    }
    StatusPruned p = (StatusPruned) e;
    if (p.before() > p.at()) {
      return s.reject(e, e.proposerTerm(), "the history cannot be pruned up to a time after the entry");
    }
    return new Applied(s.toBuilder().statusHistory(h.prunedBefore(p.before())).build(), true, "");
  }

  /** Resolved incidents and windows over before {@code before} removed. */
  public StatusHistory prunedBefore(long before) {
    return new StatusHistory(
        incidents.stream().filter(i -> i.open() || i.resolvedAt() >= before).toList(),
        maintenance.stream().filter(w -> w.over() >= before).toList());
  }

  /** Whether {@link #prunedBefore} would remove anything. */
  public boolean hasOlderThan(long before) {
    return incidents.stream().anyMatch(i -> !i.open() && i.resolvedAt() < before)
        || maintenance.stream().anyMatch(w -> w.over() < before);
  }

  private static String scheduleProblem(ControlState s, MaintenanceScheduled m) {
    if (m.regions().isEmpty()) {
      return "a maintenance window names at least one region";
    }
    for (String r : m.regions()) {
      if (!s.modes().containsKey(r)) {
        return "region '" + r + "' is not configured";
      }
    }
    if (m.endsAt() <= m.startsAt()) {
      return "a maintenance window must end after it starts";
    }
    if (m.endsAt() <= m.at()) {
      return "a maintenance window must end in the future";
    }
    if (s.statusHistory().maintenance.stream().anyMatch(w -> w.id().equals(m.id()))) {
      return "maintenance " + m.id() + " exists already";
    }
    if (s.statusHistory().maintenance.stream().filter(w -> w.cancelledAt() == 0 && w.endsAt() > m.at()).count()
        >= MAX_UPCOMING) {
      return "at most " + MAX_UPCOMING + " maintenance windows may be announced at once";
    }
    return null;
  }

  /**
   * The incidents after an accepted decision-journal entry: an intent or evacuation opens one (or
   * joins the open one of its regions), the steps and alerts it brought are added to the open
   * incidents they concern, and each open incident's status follows the state: a change in
   * progress (Identified), traffic away from a region (Monitoring), every region back (Resolved).
   */
  static StatusHistory follow(ControlState before, ControlState after, JournalEntry e) {
    List<Incident> list = new ArrayList<>(before.statusHistory().incidents);
    if (e instanceof EvacuationStarted st) {
      list.add(new Incident("inc-" + st.evacuationId(), Incident.Kind.EVACUATION, List.of(st.region()),
          "Planned evacuation of " + st.region(), Incident.Status.IDENTIFIED, st.at(), 0, List.of(),
          "EvacuationStarted", st.reason(), false, st.by(), List.of(), before.weights(), after.weights(), List.of(),
          List.of()));
    } else if (e instanceof Intent i) {
      attach(list, i, before, after);
    }
    List<PharosEvent> events = added(before.events(), after.events());
    List<PharosEvent> alerts = added(before.alerts(), after.alerts());
    if (events.isEmpty() && alerts.isEmpty() && list.equals(before.statusHistory().incidents)
        && before.out().equals(after.out()) && before.evacuation() == after.evacuation()
        && before.intents() == after.intents()) {
      return after.statusHistory();
    }
    boolean changed = !list.equals(before.statusHistory().incidents);
    for (int k = 0; k < list.size(); k++) {
      Incident inc = list.get(k);
      if (!inc.open()) {
        continue;
      }
      changed = true;
      List<PharosEvent> timeline = new ArrayList<>(inc.timeline());
      for (PharosEvent ev : events) {
        if (inc.owns(ev.decisionId()) || ev.decisionId() == null && concerns(inc, ev.region())) {
          timeline.add(ev);
        }
      }
      List<PharosEvent> raised = new ArrayList<>(inc.alerts());
      for (PharosEvent a : alerts) {
        if (a.region() == null || concerns(inc, a.region())) {
          raised.add(a);
        }
      }
      list.set(k, withStatus(inc, cap(timeline, Incident.MAX_TIMELINE), cap(raised, Incident.MAX_ALERTS), after,
          e.at()));
    }
    if (!changed) {
      return after.statusHistory();
    }
    while (list.size() > MAX_INCIDENTS) {
      int oldestResolved = -1;
      for (int k = 0; k < list.size() && oldestResolved < 0; k++) {
        if (!list.get(k).open()) {
          oldestResolved = k;
        }
      }
      list.remove(oldestResolved < 0 ? 0 : oldestResolved);
    }
    return new StatusHistory(list, after.statusHistory().maintenance);
  }

  private static void attach(List<Incident> list, Intent i, ControlState before, ControlState after) {
    int at = -1;
    for (int k = list.size() - 1; k >= 0 && at < 0; k--) {
      Incident inc = list.get(k);
      if (inc.open() && (inc.owns(i.decisionId()) || i.regions().stream().anyMatch(inc.regions()::contains))) {
        at = k;
      }
    }
    List<String> approvedBy = new ArrayList<>();
    Approval a = after.approvals().get(i.decisionId());
    if (a != null && a.by() != null) {
      approvedBy.add(a.by() + (a.answer() == null || a.answer().isBlank() ? "" : ": " + a.answer()));
    }
    if (at < 0) {
      Incident.Kind kind = switch (i.kind()) {
        case FAILOVER -> Incident.Kind.FAILOVER;
        case EVACUATE -> Incident.Kind.EVACUATION;
        case FAILBACK -> Incident.Kind.FAILBACK;
      };
      String regions = String.join(", ", i.regions());
      String title = switch (kind) {
        case FAILOVER -> regions + " unavailable: traffic moved to the other regions";
        case EVACUATION -> "Planned evacuation of " + regions;
        case FAILBACK -> "Traffic returning to " + regions;
      };
      list.add(new Incident("inc-" + i.decisionId(), kind, i.regions(), title, Incident.Status.IDENTIFIED, i.at(), 0,
          List.of(i.decisionId()), i.code(), i.reason(), i.automatic(), operator(i), approvedBy, before.weights(),
          after.weights(), List.of(), List.of()));
      return;
    }
    Incident inc = list.get(at);
    Set<String> regions = new LinkedHashSet<>(inc.regions());
    regions.addAll(i.regions());
    List<String> ids = new ArrayList<>(inc.decisionIds());
    ids.add(i.decisionId());
    List<String> approved = new ArrayList<>(inc.approvedBy());
    approved.addAll(approvedBy);
    list.set(at, new Incident(inc.id(), inc.kind(), List.copyOf(regions), inc.title(), Incident.Status.IDENTIFIED,
        inc.openedAt(), 0, ids, inc.code(), inc.reason(), inc.automatic(), inc.startedBy(), approved,
        inc.weightsBefore(), after.weights(), inc.timeline(), inc.alerts()));
  }

  /** The operator named in a manual decision's reason ({@code operator <by>: <reason>}), or null. */
  private static String operator(Intent i) {
    String r = i.reason();
    if (i.automatic() || r == null || !r.startsWith("operator ") || r.indexOf(':') < 0) {
      return null;
    }
    return r.substring("operator ".length(), r.indexOf(':'));
  }

  private static Incident withStatus(Incident inc, List<PharosEvent> timeline, List<PharosEvent> alerts,
      ControlState after, long now) {
    boolean busy = inc.decisionIds().stream().map(after.intents()::get)
        .anyMatch(r -> r != null && !r.phase().finished());
    Evacuation ev = after.evacuation();
    if (inc.kind() == Incident.Kind.EVACUATION && ev != null && inc.id().equals("inc-" + ev.id())
        && ev.phase() != EvacuationPhase.EVACUATED) {
      busy = true;
    }
    boolean away = inc.regions().stream().anyMatch(r -> after.out().contains(r)
        || ev != null && ev.region().equals(r));
    Incident.Status status = busy ? Incident.Status.IDENTIFIED : away ? Incident.Status.MONITORING
        : Incident.Status.RESOLVED;
    return new Incident(inc.id(), inc.kind(), inc.regions(), inc.title(), status, inc.openedAt(),
        status == Incident.Status.RESOLVED ? now : 0, inc.decisionIds(), inc.code(), inc.reason(), inc.automatic(),
        inc.startedBy(), inc.approvedBy(), inc.weightsBefore(), inc.weightsAfter(), timeline, alerts);
  }

  private static boolean concerns(Incident inc, String regions) {
    if (regions == null) {
      return false;
    }
    for (String r : regions.split(",")) {
      if (inc.regions().contains(r)) {
        return true;
      }
    }
    return false;
  }

  /** What a ring gained: the events after the old ring's last one (rings only ever append). */
  private static List<PharosEvent> added(List<PharosEvent> before, List<PharosEvent> after) {
    if (before == after || after.isEmpty()) {
      return List.of();
    }
    if (before.isEmpty()) {
      return after;
    }
    PharosEvent last = before.get(before.size() - 1);
    for (int k = after.size() - 1; k >= 0; k--) {
      if (after.get(k).equals(last)) {
        return after.subList(k + 1, after.size());
      }
    }
    return after;
  }

  private static List<PharosEvent> cap(List<PharosEvent> l, int max) {
    return l.size() <= max ? l : l.subList(l.size() - max, l.size());
  }
}
