package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillReport.FaultLine;
import io.pharos.core.model.EventType;
import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.HttpChaosProxy.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controllers did to the DNS provider's API during a drill that faulted it, from the
 * runner's proxy log (every call of theirs passes it) and the controllers' own counters: calls,
 * throttled answers, retries, the busiest second against the request budget, and the changes the
 * provider accepted while the fault was in against the decisions that committed one. A change
 * applied twice for one decision, or a second over the budget, is a deviation.
 */
final class ProviderApiCheck {
  /** One second, as the provider counts its rate limit. */
  static final long SECOND_MS = 1_000;
  /**
   * Timing jitter the budget check allows: the proxy stamps arrivals on a busy test machine, and a
   * client running exactly at its budget (5 per 1.05 s) shows 6 within one second at the proxy
   * when a send or a stamp is late by more than its 50 ms guard. Over budget = more than the
   * budget within 1 s minus this.
   */
  static final long JITTER_MS = 150;

  /** The measurement and what broke the expectations. */
  record Result(DrillReport.ProviderApi api, List<String> deviations) {}

  private ProviderApiCheck() {}

  static Optional<Result> measure(DrillEnvironment env, Observer observer, List<FaultLine> faults, long started,
      long finished) {
    List<FaultLine> mine = faults.stream().filter(f -> "dns-provider".equals(f.kind()) && f.injectedAt() != null)
        .toList();
    Optional<HttpChaosProxy> proxy = env.providerProxy();
    if (mine.isEmpty() || proxy.isEmpty()) {
      return Optional.empty();
    }
    long from = mine.stream().mapToLong(FaultLine::injectedAt).min().orElse(started);
    long to = mine.stream().map(f -> f.revertedAt() == null ? finished : f.revertedAt()).max(Long::compare)
        .orElse(finished);
    List<Exchange> drill = proxy.get().exchanges().stream().filter(e -> e.at() >= started && e.at() <= finished)
        .toList();
    long throttled = drill.stream().filter(e -> e.outcome() == HttpChaosProxy.Outcome.THROTTLED).count();
    long failed = drill.stream().filter(e -> e.outcome() == HttpChaosProxy.Outcome.FAILED).count();
    long forwarded = drill.stream().filter(e -> e.outcome() == HttpChaosProxy.Outcome.FORWARDED).count();
    List<Exchange> accepted = drill.stream().filter(e -> e.at() >= from && e.at() <= to && Route53Api.isChange(e)
        && e.accepted()).toList();
    long changes = accepted.stream().filter(Route53Api::changesWeightedSets).count();
    long fencingOnly = accepted.size() - changes;
    long decisions = observer.events().stream().filter(e -> e.type() == EventType.DNS_COMMITTED && e.at() >= from
        && e.at() <= to).map(e -> e.decisionId()).filter(Objects::nonNull).distinct().count();
    List<Long> times = drill.stream().map(Exchange::at).sorted().toList();
    int peak = peakPerSecond(times);
    int peakTolerant = peakWithin(times, SECOND_MS - JITTER_MS);
    Integer budget = env.providerRequestBudget().orElse(null);
    Long retries = counterDelta(observer, "retries");
    Long throttledSeen = counterDelta(observer, "throttled");
    DrillReport.ProviderApi api = new DrillReport.ProviderApi(proxy.get().url().toString(), from, to, drill.size(),
        throttled, failed, forwarded, changes, fencingOnly, decisions, peak, peakTolerant, JITTER_MS, budget, retries,
        throttledSeen);
    List<String> deviations = new ArrayList<>();
    if (changes > decisions) {
      deviations.add("the DNS provider accepted " + changes + " batches changing weighted record sets while the"
          + " provider fault was in, for "
          + decisions + " committed decision" + (decisions == 1 ? "" : "s") + " (exactly one per decision expected)");
    }
    if (budget != null && peakTolerant > budget) {
      deviations.add(peakTolerant + " provider API calls arrived within " + (SECOND_MS - JITTER_MS) + " ms, over the"
          + " budget of " + budget + "/s (" + JITTER_MS + " ms allowed for timing jitter)");
    }
    return Optional.of(new Result(api, deviations));
  }

  /** The most arrivals within any window of one second (times sorted, epoch millis). */
  static int peakPerSecond(List<Long> times) {
    return peakWithin(times, SECOND_MS);
  }

  /** The most arrivals within any window of {@code windowMs} (times sorted, epoch millis). */
  static int peakWithin(List<Long> times, long windowMs) {
    int peak = 0;
    int first = 0;
    for (int i = 0; i < times.size(); i++) {
      while (times.get(i) - times.get(first) >= windowMs) {
        first++;
      }
      peak = Math.max(peak, i - first + 1);
    }
    return peak;
  }

  /** A provider counter summed over the controllers, last status minus first; null when none reports it. */
  private static Long counterDelta(Observer observer, String counter) {
    Map<String, Observer.Status> first = observer.firstStatuses();
    long sum = 0;
    boolean any = false;
    for (var e : observer.statuses().entrySet()) {
      JsonNode now = e.getValue().json().path("dnsProvider").path("counters").path(counter);
      if (now.isMissingNode()) {
        continue;
      }
      Observer.Status f = first.get(e.getKey());
      long before = f == null ? 0 : f.json().path("dnsProvider").path("counters").path(counter).asLong(0);
      // a restarted controller starts counting at 0 again
      sum += now.asLong() >= before ? now.asLong() - before : now.asLong();
      any = true;
    }
    return any ? sum : null;
  }
}
