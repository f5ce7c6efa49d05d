package io.pharos.core.journal;

import java.util.List;

/**
 * An operator announced maintenance ahead: the status page shows it as scheduled, and its regions
 * as Maintenance while the window is open. It changes no traffic (an evacuation does that).
 *
 * @param id window id ({@code mw-<millis>})
 * @param regions the regions concerned (at least one)
 * @param startsAt when it starts (epoch millis)
 * @param endsAt when it ends, after {@code startsAt}
 * @param title what users read
 * @param by who announced it
 * @param reason why, for the audit and the timeline
 */
public record MaintenanceScheduled(String id, List<String> regions, long startsAt, long endsAt, String title,
    String by, String reason, long proposerTerm, long at, String controller) implements JournalEntry {
  public MaintenanceScheduled {
    regions = List.copyOf(regions);
  }
}
