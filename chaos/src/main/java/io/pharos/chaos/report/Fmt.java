package io.pharos.chaos.report;

/** Formatting shared by the renderers. */
final class Fmt {
  private Fmt() {}

  static String secs(Long ms) {
    return ms == null ? "—" : String.format("%.3f s", ms / 1000.0);
  }

  static String target(Long ms) {
    return ms == null ? "" : String.format("≤ %s", ms % 1000 == 0 ? ms / 1000 + " s" : secs(ms));
  }

  static String verdict(Boolean b) {
    return b == null ? "" : b ? "met" : "MISSED";
  }

  static String html(String s) {
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

  static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
