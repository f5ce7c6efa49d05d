package io.pharos.core.report;

/** Formatting shared by the report renderers: times, targets, verdicts, escaping. */
public final class ReportFormat {
  private ReportFormat() {}

  public static String secs(Long ms) {
    return ms == null ? "—" : String.format(java.util.Locale.ROOT, "%.3f s", ms / 1000.0);
  }

  public static String target(Long ms) {
    return ms == null ? "" : String.format("≤ %s", ms % 1000 == 0 ? ms / 1000 + " s" : secs(ms));
  }

  public static String verdict(Boolean b) {
    return b == null ? "" : b ? "met" : "MISSED";
  }

  public static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  public static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
