package io.pharos.core.report;

/**
 * One point of a report's timeline: its key (e.g. {@code detected}, {@code dns-committed}), when it
 * happened, the time since the report's origin (the fault, or the first failing probe) and its
 * target.
 */
public record Mark(String key, String label, Long at, Long sinceFaultMs, Long targetMs, Boolean withinTarget) {
  public boolean happened() {
    return sinceFaultMs != null;
  }
}
