package io.pharos.core.journal;

import java.util.List;

/**
 * A maintenance window as the status page shows it.
 *
 * @param cancelledAt when it was called off, or 0
 */
public record MaintenanceWindow(String id, List<String> regions, long startsAt, long endsAt, String title, String by,
    String reason, long announcedAt, long cancelledAt) {
  public MaintenanceWindow {
    regions = List.copyOf(regions);
  }

  public boolean activeAt(long now) {
    return cancelledAt == 0 && startsAt <= now && now < endsAt;
  }

  public boolean upcomingAt(long now) {
    return cancelledAt == 0 && now < startsAt;
  }

  /** When it left the picture: its end, or its cancellation. */
  public long over() {
    return cancelledAt > 0 ? Math.min(cancelledAt, endsAt) : endsAt;
  }
}
