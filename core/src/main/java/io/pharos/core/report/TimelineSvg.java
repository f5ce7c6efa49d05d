package io.pharos.core.report;

import java.util.List;
import java.util.Locale;

/**
 * A report's timeline as an inline SVG waterfall: one row per step (for a drill: fault injected,
 * first failing probe, detected, decided, fenced, DNS committed, provider in sync, resolvers,
 * reverted, recovered, alerts), a bar from the origin to when it happened, its time, and its target
 * as a dashed line (red when missed). Steps not seen are listed as such.
 */
public final class TimelineSvg {
  static final int WIDTH = 960;
  static final int LABEL = 230;
  static final int RIGHT = 90;
  static final int ROW = 26;
  static final int TOP = 34;

  private TimelineSvg() {}

  /**
   * @param title the SVG's title (what a screen reader says)
   * @param origin what the times count from, e.g. "the fault"
   * @param clocks whose clocks the times are, for the footnote
   */
  public static String render(String title, String origin, String clocks, List<Mark> marks) {
    long max = 1_000;
    for (Mark m : marks) {
      if (m.happened()) {
        max = Math.max(max, m.sinceFaultMs());
      }
      if (m.targetMs() != null) {
        max = Math.max(max, m.targetMs());
      }
    }
    long step = niceStep(max);
    long end = ((max + step - 1) / step) * step;
    int height = TOP + marks.size() * ROW + 30;
    double plot = WIDTH - LABEL - RIGHT;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">");
    sb.append("<title>").append(ReportFormat.html(title)).append(" (seconds since ").append(ReportFormat.html(origin))
        .append(")</title>");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    for (long t = 0; t <= end; t += step) {
      double x = LABEL + plot * t / end;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>",
          x, TOP - 6, x, height - 24));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>",
          x, TOP - 12, seconds(t)));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">time since %s</text>", 8,
        TOP - 12, ReportFormat.html(origin)));
    int y = TOP;
    for (Mark m : marks) {
      int mid = y + ROW / 2;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#222\">%s</text>", 8, mid + 4,
          ReportFormat.html(m.label())));
      if (m.happened()) {
        double x = LABEL + plot * Math.max(0, m.sinceFaultMs()) / end;
        String colour = Boolean.FALSE.equals(m.withinTarget()) ? "#c62828"
            : m.key().startsWith("alert") ? "#ef6c00" : "#1565c0";
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"8\" rx=\"2\" fill=\"%s\""
            + " fill-opacity=\"0.25\"/>", LABEL, mid - 4, Math.max(1, x - LABEL), colour));
        sb.append(String.format(Locale.ROOT, "<circle class=\"mark\" data-key=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"5\""
            + " fill=\"%s\"/>", ReportFormat.html(m.key()), x, mid, colour));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>", x + 9, mid + 4, colour,
            ReportFormat.secs(m.sinceFaultMs())));
      } else {
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#999\" font-style=\"italic\">not seen"
            + "</text>", LABEL + 4, mid + 4));
      }
      if (m.targetMs() != null) {
        double tx = LABEL + plot * m.targetMs() / end;
        String tc = Boolean.FALSE.equals(m.withinTarget()) ? "#c62828" : "#2e7d32";
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
            + " stroke-dasharray=\"4 3\" stroke-width=\"2\"><title>target %s</title></line>", tx, y + 3, tx,
            y + ROW - 3, tc, ReportFormat.target(m.targetMs())));
      }
      y += ROW;
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">dashed line: target (green met, red"
        + " missed); times are %s</text>", 8, height - 8, ReportFormat.html(clocks)));
    sb.append("</svg>");
    return sb.toString();
  }

  private static long niceStep(long max) {
    long[] steps = {100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000};
    for (long s : steps) {
      if (max / s <= 10) {
        return s;
      }
    }
    return 600_000;
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
