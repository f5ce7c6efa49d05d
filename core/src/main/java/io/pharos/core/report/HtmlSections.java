package io.pharos.core.report;

import java.util.List;

/** The sections drill and incident reports share, as HTML (one self-contained page, no scripts). */
public final class HtmlSections {
  public static final String CSS = "body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:1000px;"
      + "color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
      + "table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;"
      + "text-align:left;vertical-align:top;font-size:.92em}th{background:#f5f5f5}.PASS{color:#2e7d32}"
      + ".FAIL,.ABORTED,.ERROR,.MISSED{color:#c62828}.PENDING{color:#ef6c00}.status{font-size:1.3em;font-weight:bold}"
      + ".signoff th{width:32%}.signoff td{height:2em}.muted{color:#777}@media print{body{margin:0}}";

  private HtmlSections() {}

  public static String h(String s) {
    return ReportFormat.html(s);
  }

  /** The page's head and title, up to the opened body. */
  public static void open(StringBuilder sb, String title) {
    sb.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(h(title))
        .append("</title><style>").append(CSS).append("</style></head><body>");
  }

  public static void row(StringBuilder sb, String k, String v) {
    sb.append("<tr><th>").append(h(k)).append("</th><td>").append(h(v)).append("</td></tr>");
  }

  /** The "RTO and RPO" table. */
  public static void measures(StringBuilder sb, String heading, Measure... measures) {
    sb.append("<h2>").append(h(heading)).append("</h2><table><tr><th>objective</th><th>target</th><th>actual</th>"
        + "<th>result</th><th>measured as</th></tr>");
    for (Measure m : measures) {
      if (m == null) {
        continue;
      }
      String v = ReportFormat.verdict(m.met());
      sb.append("<tr><td>").append(m.name()).append("</td><td>").append(m.targetMs() == null ? "none"
          : h(ReportFormat.target(m.targetMs()))).append("</td><td>").append(m.actualMs() == null ? "not measured"
          : ReportFormat.secs(m.actualMs())).append("</td><td class=\"").append(v).append("\">").append(v)
          .append("</td><td>").append(h(m.basis())).append("</td></tr>");
    }
    sb.append("</table>");
  }

  /** The marks as a table: time since the origin ({@code since}), target, result. */
  public static void timeline(StringBuilder sb, String since, List<Mark> marks) {
    sb.append("<table><tr><th>step</th><th>").append(h(since)).append("</th><th>target</th><th>result</th></tr>");
    for (Mark m : marks) {
      String v = ReportFormat.verdict(m.withinTarget());
      sb.append("<tr><td>").append(h(m.label())).append("</td><td>").append(m.happened()
          ? ReportFormat.secs(m.sinceFaultMs()) : "not seen").append("</td><td>")
          .append(h(ReportFormat.target(m.targetMs()))).append("</td><td class=\"").append(v).append("\">").append(v)
          .append("</td></tr>");
    }
    sb.append("</table>");
  }

  public static void events(StringBuilder sb, String heading, List<EventLine> events) {
    sb.append("<h2>").append(h(heading)).append("</h2><table><tr><th>time</th><th>event</th><th>region</th>"
        + "<th>code</th><th>detail</th><th>controller</th></tr>");
    events.forEach(e -> sb.append("<tr><td>").append(e.sinceFaultMs() == null ? ""
        : ReportFormat.secs(e.sinceFaultMs())).append("</td><td>").append(h(e.type())).append("</td><td>")
        .append(h(e.region())).append("</td><td>").append(h(e.code())).append("</td><td>").append(h(e.detail()))
        .append("</td><td>").append(h(e.controller())).append("</td></tr>"));
    sb.append("</table>");
  }

  public static void list(StringBuilder sb, List<String> items, String empty) {
    if (items.isEmpty()) {
      sb.append("<p>").append(h(empty)).append("</p>");
      return;
    }
    sb.append("<ul>");
    items.forEach(i -> sb.append("<li>").append(h(i)).append("</li>"));
    sb.append("</ul>");
  }

  public static void signOff(StringBuilder sb, SignOff s) {
    sb.append("<h2>Sign-off</h2><table class=\"signoff\">");
    row(sb, "Reviewed by", s.name());
    row(sb, "Role", s.role());
    row(sb, "Date", s.date());
    row(sb, "Decision (accepted / action required)", s.decision());
    row(sb, "Comments", s.comments());
    row(sb, "Signature", null);
    sb.append("</table>");
  }
}
