package io.pharos.core.report;

import java.util.List;

/** The sections drill and incident reports share, as Markdown. */
public final class MarkdownSections {
  private MarkdownSections() {}

  public static void row(StringBuilder sb, String k, String v) {
    sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  /** The "RTO and RPO" table. */
  public static void measures(StringBuilder sb, String heading, Measure... measures) {
    sb.append("## ").append(heading).append("\n\n| objective | target | actual | result | measured as |\n"
        + "|---|---|---|---|---|\n");
    for (Measure m : measures) {
      if (m == null) {
        continue;
      }
      sb.append("| ").append(m.name()).append(" | ").append(m.targetMs() == null ? "none"
          : ReportFormat.target(m.targetMs())).append(" | ").append(m.actualMs() == null ? "not measured"
          : ReportFormat.secs(m.actualMs())).append(" | ").append(ReportFormat.verdict(m.met())).append(" | ")
          .append(ReportFormat.md(m.basis())).append(" |\n");
    }
  }

  /** The timeline as a table of marks: time since the origin, target, result. */
  public static void timeline(StringBuilder sb, String heading, List<Mark> marks) {
    sb.append("## ").append(heading).append("\n\n| step | time | target | result |\n|---|---|---|---|\n");
    for (Mark m : marks) {
      sb.append("| ").append(ReportFormat.md(m.label())).append(" | ").append(m.happened()
          ? ReportFormat.secs(m.sinceFaultMs()) : "not seen").append(" | ").append(ReportFormat.target(m.targetMs()))
          .append(" | ").append(ReportFormat.verdict(m.withinTarget())).append(" |\n");
    }
  }

  /** Controller events with their time since the origin. */
  public static void events(StringBuilder sb, String heading, List<EventLine> events) {
    sb.append("## ").append(heading).append("\n\n| time | event | region | code | detail | controller |\n"
        + "|---|---|---|---|---|---|\n");
    events.forEach(e -> sb.append("| ").append(e.sinceFaultMs() == null ? "" : ReportFormat.secs(e.sinceFaultMs()))
        .append(" | ").append(e.type()).append(" | ").append(ReportFormat.md(e.region())).append(" | ")
        .append(ReportFormat.md(e.code())).append(" | ").append(ReportFormat.md(e.detail())).append(" | ")
        .append(ReportFormat.md(e.controller())).append(" |\n"));
  }

  public static void list(StringBuilder sb, List<String> items, String empty) {
    if (items.isEmpty()) {
      sb.append(empty).append('\n');
    }
    items.forEach(i -> sb.append("- ").append(i).append('\n'));
  }

  public static StringBuilder signOff(StringBuilder sb, SignOff s) {
    sb.append("\n## Sign-off\n\n| | |\n|---|---|\n");
    row(sb, "Reviewed by", blank(s.name()));
    row(sb, "Role", blank(s.role()));
    row(sb, "Date", blank(s.date()));
    row(sb, "Decision (accepted / action required)", blank(s.decision()));
    row(sb, "Comments", blank(s.comments()));
    return sb;
  }

  private static String blank(String v) {
    return v == null ? "&nbsp;" : ReportFormat.md(v);
  }
}
