package io.pharos.core.report;

/** Filled in by people after the review; blank in a fresh report. */
public record SignOff(String name, String role, String date, String decision, String comments) {
  public static final SignOff BLANK = new SignOff(null, null, null, null, null);
}
