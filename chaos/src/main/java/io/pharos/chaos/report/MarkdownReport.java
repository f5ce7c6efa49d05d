package io.pharos.chaos.report;

import io.pharos.chaos.report.DrillReport.Mark;
import io.pharos.chaos.report.DrillReport.Measure;

/** The report as Markdown, for a ticket or a wiki page. */
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
    row(sb, "Duration", Fmt.secs(r.finishedAt() - r.startedAt()));
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
      return signOff(sb, r).toString();
    }
    sb.append("## RTO and RPO\n\n| objective | target | actual | result | measured as |\n|---|---|---|---|---|\n");
    measure(sb, r.rto());
    measure(sb, r.rpo());
    sb.append("\n## Timeline (time since the fault)\n\n| step | time | target | result |\n|---|---|---|---|\n");
    for (Mark m : r.timeline()) {
      sb.append("| ").append(Fmt.md(m.label())).append(" | ").append(m.happened() ? Fmt.secs(m.sinceFaultMs())
          : "not seen").append(" | ").append(Fmt.target(m.targetMs())).append(" | ").append(Fmt.verdict(
          m.withinTarget())).append(" |\n");
    }
    if (r.providerApi() != null) {
      sb.append("\n## DNS provider API\n\n| | |\n|---|---|\n");
      Fmt.providerApi(r).forEach(x -> row(sb, Fmt.md(x[0]), Fmt.md(x[1])));
    }
    sb.append("\n## Deviations\n\n");
    list(sb, r.deviations(), "None.");
    sb.append("\n## Remediation\n\n");
    list(sb, r.remediation(), "Nothing to remediate.");
    sb.append("\n## Steps\n\n| # | line | step | status | detail |\n|---|---|---|---|---|\n");
    r.steps().forEach(st -> sb.append("| ").append(st.index()).append(" | ").append(st.line()).append(" | ")
        .append(Fmt.md(st.description())).append(" | ").append(st.status()).append(" | ").append(Fmt.md(st.detail()))
        .append(" |\n"));
    sb.append("\n## Faults\n\n| id | kind | what | in | out | reverted because |\n|---|---|---|---|---|---|\n");
    r.faults().forEach(f -> sb.append("| ").append(f.id()).append(" | ").append(f.kind()).append(" | ")
        .append(Fmt.md(f.description())).append(" | ").append(since(r, f.injectedAt())).append(" | ")
        .append(since(r, f.revertedAt())).append(" | ").append(Fmt.md(f.revertReason())).append(" |\n"));
    sb.append("\n## Controller events\n\n| time | event | region | code | detail | controller |\n"
        + "|---|---|---|---|---|---|\n");
    r.events().forEach(e -> sb.append("| ").append(e.sinceFaultMs() == null ? "" : Fmt.secs(e.sinceFaultMs()))
        .append(" | ").append(e.type()).append(" | ").append(Fmt.md(e.region())).append(" | ").append(Fmt.md(e.code()))
        .append(" | ").append(Fmt.md(e.detail())).append(" | ").append(Fmt.md(e.controller())).append(" |\n"));
    if (!r.notes().isEmpty()) {
      sb.append("\n## Notes\n\n");
      list(sb, r.notes(), "");
    }
    return signOff(sb, r).toString();
  }

  private static StringBuilder signOff(StringBuilder sb, DrillReport r) {
    DrillReport.SignOff s = r.signOff();
    sb.append("\n## Sign-off\n\n| | |\n|---|---|\n");
    row(sb, "Reviewed by", blank(s.name()));
    row(sb, "Role", blank(s.role()));
    row(sb, "Date", blank(s.date()));
    row(sb, "Decision (accepted / action required)", blank(s.decision()));
    row(sb, "Comments", blank(s.comments()));
    return sb;
  }

  private static String blank(String v) {
    return v == null ? "&nbsp;" : Fmt.md(v);
  }

  private static String since(DrillReport r, Long at) {
    return at == null || r.faultAt() == null ? "" : Fmt.secs(at - r.faultAt());
  }

  private static void measure(StringBuilder sb, Measure m) {
    if (m == null) {
      return;
    }
    sb.append("| ").append(m.name()).append(" | ").append(m.targetMs() == null ? "none" : Fmt.target(m.targetMs()))
        .append(" | ").append(m.actualMs() == null ? "not measured" : Fmt.secs(m.actualMs())).append(" | ")
        .append(Fmt.verdict(m.met())).append(" | ").append(Fmt.md(m.basis())).append(" |\n");
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  private static void list(StringBuilder sb, java.util.List<String> items, String empty) {
    if (items.isEmpty()) {
      sb.append(empty).append('\n');
    }
    items.forEach(i -> sb.append("- ").append(i).append('\n'));
  }
}
