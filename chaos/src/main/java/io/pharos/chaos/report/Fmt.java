package io.pharos.chaos.report;

import io.pharos.core.report.ReportFormat;

/** The drill-only section (the DNS provider API) as label/value rows for both renderers. */
final class Fmt {
  private Fmt() {}

  /** The provider API section as label/value rows (both renderers). */
  static java.util.List<String[]> providerApi(DrillReport r) {
    DrillReport.ProviderApi a = r.providerApi();
    java.util.List<String[]> rows = new java.util.ArrayList<>();
    rows.add(new String[] {"API endpoint (chaos proxy)", a.endpoint()});
    rows.add(new String[] {"fault in", secs(r.faultAt() == null || a.faultFrom() == null ? null
        : a.faultFrom() - r.faultAt()) + " → " + secs(r.faultAt() == null || a.faultTo() == null ? null
        : a.faultTo() - r.faultAt())});
    rows.add(new String[] {"calls by the controllers", a.requests() + " (" + a.throttled() + " throttled, " + a.failed()
        + " failed by the fault, " + a.forwarded() + " reached the provider)"});
    rows.add(new String[] {"retries counted by the controllers", a.controllerRetries() == null ? "not reported"
        : a.controllerRetries() + (a.controllerThrottled() == null ? "" : " (" + a.controllerThrottled()
        + " throttled answers seen)")});
    rows.add(new String[] {"busiest second", a.peakPerSecond() + " calls; " + a.peakAllowingJitter() + " within "
        + (1000 - a.jitterMs()) + " ms" + (a.budgetPerSecond() == null ? "" : " (budget " + a.budgetPerSecond()
        + "/s, " + a.jitterMs() + " ms allowed for timing jitter: " + (a.peakAllowingJitter() <= a.budgetPerSecond()
        ? "kept" : "BROKEN") + ")")});
    rows.add(new String[] {"changes applied while the fault was in", a.changesAccepted() + " ChangeResourceRecordSets"
        + " changing weighted sets accepted for " + a.decisionsCommitted() + " committed decision"
        + (a.decisionsCommitted() == 1 ? "" : "s") + (a.fencingOnlyAccepted() == 0 ? "" : "; " + a.fencingOnlyAccepted()
        + " fencing-only (same token, no weight changed)")});
    return rows;
  }

  static String secs(Long ms) {
    return ReportFormat.secs(ms);
  }
}
