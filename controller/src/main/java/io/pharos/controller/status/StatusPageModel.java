package io.pharos.controller.status;

import java.util.List;

/**
 * What the status page shows, for the template ({@code src/main/jte/status/*.jte}) and, as it is,
 * for machines ({@code /status.json}). Only what a public status page shows: component states, the
 * incidents in plain words, maintenance; no controller, token, address or evidence.
 *
 * @param updatedAt when this picture was taken (ISO-8601)
 */
public record StatusPageModel(String title, String overall, String overallCss, String headline,
    List<ComponentView> regions, List<ComponentView> services, List<IncidentView> current,
    List<MaintenanceView> maintenance, List<DayView> days, List<IncidentView> history, int historyDays,
    boolean automationPaused, String updatedAt) {

  /** One component line. */
  public record ComponentView(String name, String state, String css, String detail) {}

  /** An incident in plain words; {@code updates} newest first. */
  public record IncidentView(String id, String title, String status, String kind, String impact, List<String> regions,
      String openedAt, String resolvedAt, String duration, List<UpdateView> updates) {}

  /** One line of an incident's live timeline. */
  public record UpdateView(String at, String text) {}

  /** A maintenance window: {@code status} scheduled, in progress, completed or cancelled. */
  public record MaintenanceView(String id, String title, List<String> regions, String startsAt, String endsAt,
      String status) {}

  /** One day of the history bar: its worst state and what happened. */
  public record DayView(String date, String css, String summary) {}

  /**
   * The same picture without what only the clock moves (its time stamp, the running incidents'
   * durations): what decides whether a live update is sent.
   */
  StatusPageModel withoutTime() {
    List<IncidentView> running = current.stream().map(i -> new IncidentView(i.id(), i.title(), i.status(), i.kind(),
        i.impact(), i.regions(), i.openedAt(), i.resolvedAt(), null, i.updates())).toList();
    return new StatusPageModel(title, overall, overallCss, headline, regions, services, running, maintenance, days,
        history, historyDays, automationPaused, null);
  }
}
