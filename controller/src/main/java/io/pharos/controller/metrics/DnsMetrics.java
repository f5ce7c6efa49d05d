package io.pharos.controller.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.embedded.DnsServerStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * DNS series: the provider's calls, retries, throttling, failures and circuit breaker (read from
 * {@link DnsProvider#health()}'s counters, so providers know nothing of the controller), and the
 * embedded DNS server's queries, answers by rcode and refusals. Both are read once per scrape.
 */
public final class DnsMetrics {
  /** Breaker states a provider with a breaker can be in (resilience4j's names, lower case). */
  static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");
  /** Rcodes shown from the start, at 0: the ones a dashboard and a rule name. */
  static final List<String> RCODES = List.of("NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL", "FORMERR", "NOTIMP");
  /** The provider counters exported as their own series (ResilientCalls' and RequestBudget's names). */
  private static final Map<String, String[]> PROVIDER_COUNTERS = Map.of(
      "requests", new String[] {"pharos.dns.provider.requests", "attempts sent to the provider's API"},
      "retries", new String[] {"pharos.dns.provider.retries", "attempts retried after a transient failure"},
      "throttled", new String[] {"pharos.dns.provider.throttled", "attempts the provider throttled (budget too high"
          + " or another client on the account)"},
      "breaker_rejected", new String[] {"pharos.dns.provider.breaker.rejected", "calls not sent: breaker open"},
      "breaker_transitions", new String[] {"pharos.dns.provider.breaker.transitions", "breaker state changes"},
      "window_closed", new String[] {"pharos.dns.provider.window.closed", "attempts not sent: the change's window"
          + " had closed"},
      "budget_delayed", new String[] {"pharos.dns.provider.budget.delayed", "attempts that waited for the request"
          + " budget"});

  private final ControllerMetrics metrics;
  private final MeterRegistry registry;
  private final Set<String> operations = ConcurrentHashMap.newKeySet();
  private final Set<String> rcodes = ConcurrentHashMap.newKeySet();
  private volatile ProviderHealth health = ProviderHealth.healthy("");
  private volatile DnsServerStats server = new DnsServerStats(0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0);

  public DnsMetrics(ControllerMetrics metrics) {
    this.metrics = metrics;
    this.registry = metrics.registry();
  }

  /** Exports {@code provider}'s counters and breaker state, tagged with its name. */
  public DnsMetrics provider(DnsProvider provider) {
    String name = provider.name();
    health = provider.health();
    PROVIDER_COUNTERS.forEach((key, meta) -> FunctionCounter.builder(meta[0], this, m -> m.count(key))
        .description(meta[1]).tag("provider", name).register(registry));
    for (String kind : List.of("transient", "permanent")) {
      FunctionCounter.builder("pharos.dns.provider.failures", this, m -> m.count("failed_" + kind))
          .description("failed attempts by kind (transient: 5xx, timeout, unreachable; permanent: refused input)")
          .tag("provider", name).tag("kind", kind).register(registry);
    }
    for (String state : BREAKER_STATES) {
      Gauge.builder("pharos.dns.provider.breaker.state", this,
              m -> m.health.breaker().toLowerCase(Locale.ROOT).equals(state) ? 1 : 0)
          .description("1 for the circuit breaker's current state (all 0 for a provider without one)")
          .tag("provider", name).tag("state", state).register(registry);
    }
    for (ProviderHealth.State s : ProviderHealth.State.values()) {
      Gauge.builder("pharos.dns.provider.health", this, m -> m.health.state() == s ? 1 : 0)
          .description("1 for the provider's health now (up, degraded, down)").tag("provider", name)
          .tag("state", s.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    metrics.beforeScrape(() -> {
      ProviderHealth h = provider.health();
      health = h;
      for (String key : h.counters().keySet()) {
        if (key.startsWith("requests_") && operations.add(key)) {
          String op = key.substring("requests_".length());
          FunctionCounter.builder("pharos.dns.provider.operation.requests", this, m -> m.count(key))
              .description("attempts sent, by API operation").tag("provider", name).tag("operation", op)
              .register(registry);
        }
      }
    });
    return this;
  }

  /** Exports the embedded DNS server's counters. */
  public DnsMetrics server(Supplier<DnsServerStats> stats) {
    for (String transport : List.of("udp", "tcp")) {
      FunctionCounter.builder("pharos.dns.server.queries", this,
              m -> transport.equals("tcp") ? m.server.tcpQueries() : m.server.queries() - m.server.tcpQueries())
          .description("queries received by the embedded DNS server").tag("transport", transport).register(registry);
    }
    serverCounter("pharos.dns.server.rate.limited", "UDP queries dropped by the response-rate limit",
        DnsServerStats::rateLimited);
    serverCounter("pharos.dns.server.slipped", "UDP queries over the rate limit answered empty and truncated",
        DnsServerStats::slipped);
    serverCounter("pharos.dns.server.truncated", "UDP answers sent truncated (TC) because they did not fit",
        DnsServerStats::truncated);
    serverCounter("pharos.dns.server.dropped.malformed", "packets too broken to answer",
        DnsServerStats::droppedMalformed);
    serverCounter("pharos.dns.server.send.failures", "answers that could not be written", DnsServerStats::sendFailures);
    serverCounter("pharos.dns.server.tcp.refused", "TCP connections closed at once: the server held its maximum",
        DnsServerStats::tcpRefused);
    RCODES.forEach(this::rcode);
    metrics.beforeScrape(() -> {
      DnsServerStats s = stats.get();
      server = s;
      s.answersByRcode().keySet().forEach(this::rcode);
    });
    return this;
  }

  private void rcode(String rcode) {
    if (rcodes.add(rcode)) {
      FunctionCounter.builder("pharos.dns.server.answers", this, m -> m.server.answers(rcode))
          .description("answers sent by the embedded DNS server, by rcode (REFUSED: not our zone)")
          .tag("rcode", rcode).register(registry);
    }
  }

  private void serverCounter(String name, String description, java.util.function.ToLongFunction<DnsServerStats> f) {
    FunctionCounter.builder(name, this, m -> f.applyAsLong(m.server)).description(description).register(registry);
  }

  private double count(String key) {
    return health.counters().getOrDefault(key, 0L);
  }
}
