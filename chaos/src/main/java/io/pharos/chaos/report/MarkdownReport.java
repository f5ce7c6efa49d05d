package io.pharos.chaos.report;

import io.pharos.core.report.MarkdownSections;
import io.pharos.core.report.ReportFormat;

/** The report as Markdown, for a ticket or a wiki page (sections shared with incident reports). */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(DrillReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Drill report: ").append(r.title()).append("\n\n");
    sb.append("| | |\n|---|---|\n");
    row(sb, "Result", "**" + r.status() + "**" + (r.passed() && !r.targetsMet() ? " (timing targets missed)" : ""));
    row(sb, "Date", r.date());
    row(sb, "Scenario", "`" + r.scenario() + "` (" + r.source() + ")");
    row(sb, "Environment", r.environment() + (r.practice() ? " — practice mode" : ""));
    row(sb, "Expected", r.expected());
    row(sb, "Actual", r.actual());
    row(sb, "Duration", ReportFormat.secs(r.finishedAt() - r.startedAt()));
    if (r.schedule() != null) {
      row(sb, "Schedule", r.schedule());
    }
    row(sb, "Report id", r.id());
    sb.append('\n').append(r.summary()).append("\n\n");
    if (r.description() != null) {
      sb.append(r.description().strip()).append("\n\n");
    }
    if ("PENDING".equals(r.status())) {
      sb.append("This drill is **pending** and was not run: ").append(r.pendingReason()).append("\n\n");
      return MarkdownSections.signOff(sb, r.signOff()).toString();
    }
    MarkdownSections.measures(sb, "RTO and RPO", r.rto(), r.rpo());
    sb.append('\n');
    MarkdownSections.timeline(sb, "Timeline (time since the fault)", r.timeline());
    if (r.providerApi() != null) {
      sb.append("\n## DNS provider API\n\n| | |\n|---|---|\n");
      Fmt.providerApi(r).forEach(x -> row(sb, ReportFormat.md(x[0]), ReportFormat.md(x[1])));
    }
    sb.append("\n## Deviations\n\n");
    MarkdownSections.list(sb, r.deviations(), "None.");
    sb.append("\n## Remediation\n\n");
    MarkdownSections.list(sb, r.remediation(), "Nothing to remediate.");
    sb.append("\n## Steps\n\n| # | line | step | status | detail |\n|---|---|---|---|---|\n");
    r.steps().forEach(st -> sb.append("| ").append(st.index()).append(" | ").append(st.line()).append(" | ")
        .append(ReportFormat.md(st.description())).append(" | ").append(st.status()).append(" | ")
        .append(ReportFormat.md(st.detail())).append(" |\n"));
    sb.append("\n## Faults\n\n| id | kind | what | in | out | reverted because |\n|---|---|---|---|---|---|\n");
    r.faults().forEach(f -> sb.append("| ").append(f.id()).append(" | ").append(f.kind()).append(" | ")
        .append(ReportFormat.md(f.description())).append(" | ").append(since(r, f.injectedAt())).append(" | ")
        .append(since(r, f.revertedAt())).append(" | ").append(ReportFormat.md(f.revertReason())).append(" |\n"));
    sb.append('\n');
    MarkdownSections.events(sb, "Controller events", r.events());
    if (!r.notes().isEmpty()) {
      sb.append("\n## Notes\n\n");
      MarkdownSections.list(sb, r.notes(), "");
    }
    return MarkdownSections.signOff(sb, r.signOff()).toString();
  }

  private static String since(DrillReport r, Long at) {
    return at == null || r.faultAt() == null ? "" : ReportFormat.secs(at - r.faultAt());
  }

  private static void row(StringBuilder sb, String k, String v) {
    MarkdownSections.row(sb, k, v);
  }
}
