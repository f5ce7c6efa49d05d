package io.pharos.cli;

import io.pharos.chaos.report.DrillReport;
import io.pharos.core.report.Mark;

/** A drill's timeline and objectives as terminal text. */
final class DrillText {
  private DrillText() {}

  static String timeline(DrillReport r) {
    StringBuilder sb = new StringBuilder();
    if ("PENDING".equals(r.status())) {
      return sb.append("Drill ").append(r.scenario()).append(" is pending: ").append(r.pendingReason()).append('\n')
          .toString();
    }
    sb.append("Timeline of ").append(r.title()).append(" (time since the fault)\n");
    sb.append(String.format("  %-36s %10s   %-12s%n", "step", "time", "target"));
    for (Mark m : r.timeline()) {
      String time = m.happened() ? String.format("%.3f s", m.sinceFaultMs() / 1000.0) : "not seen";
      String target = m.targetMs() == null ? ""
          : String.format("≤ %.0f s %s", m.targetMs() / 1000.0, Boolean.TRUE.equals(m.withinTarget()) ? "ok" : "MISSED");
      sb.append(String.format("  %-36s %10s   %s%n", m.label(), time, target));
    }
    for (io.pharos.core.report.Measure m : new io.pharos.core.report.Measure[] {r.rto(), r.rpo()}) {
      if (m != null) {
        sb.append(String.format("  %-36s %10s   %s%n", m.name(), m.actualMs() == null ? "—"
            : String.format("%.3f s", m.actualMs() / 1000.0), m.targetMs() == null ? m.basis()
            : String.format("≤ %.0f s %s (%s)", m.targetMs() / 1000.0, Boolean.TRUE.equals(m.met()) ? "ok"
                : m.met() == null ? "" : "MISSED", m.basis())));
      }
    }
    for (String d : r.deviations()) {
      sb.append("  deviation: ").append(d).append('\n');
    }
    return sb.toString();
  }
}
