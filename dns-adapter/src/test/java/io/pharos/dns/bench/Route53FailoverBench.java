package io.pharos.dns.bench;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.contract.DnsProviderContract;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.pharos.dns.route53.Route53Provider;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.dns.MotoServer;
import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not part of the normal test run: its name does not end in Test). Run with
 * {@code bench/dns-route53.sh}: N failovers against moto_server through the counting proxy, each
 * a decision carried out by {@link ZoneReconciler#applyDecision} and awaited until INSYNC, with
 * the default Route 53 settings (5 requests/s budget, 1 s GetChange polls). Two series: moto as
 * it is (changes INSYNC at once) and with the proxy holding each change PENDING for two polls,
 * as Route 53 does while it propagates. Decisions start 1.2 s apart so each finds the budget full.
 */
class Route53FailoverBench {
  @Test
  void failovers() throws Exception {
    int runs = Integer.getInteger("pharos.bench.runs", 20);
    String out = System.getProperty("pharos.bench.out", "target/dns-route53-bench.md");
    MotoServer moto = MotoServer.shared();
    StringBuilder md = new StringBuilder();
    md.append("| series | runs | API requests per failover | ChangeResourceRecordSets | GetChange polls |"
        + " decision → INSYNC p50 | p95 | max |\n|---|---|---|---|---|---|---|---|\n");
    md.append(series(moto, runs, 0, "moto as is"));
    md.append(series(moto, runs, 2, "PENDING for 2 polls"));
    Files.writeString(Path.of(out), md.toString());
    System.out.println(md);
  }

  private static String series(MotoServer moto, int runs, int pendingPolls, String name) throws Exception {
    try (HttpChaosProxy proxy = new HttpChaosProxy(new InetSocketAddress("127.0.0.1", 0), moto.url()).start()) {
      String zone = "bench" + pendingPolls + System.nanoTime() % 100000 + ".pharos.test";
      String id = moto.createZone(zone);
      DnsConfig dns = DnsProviderContract.config("route53", zone);
      dns = dns.withProvider("route53", new ProviderSettings(Optional.of(Route53.DEFAULTS.withEndpoint(
          proxy.url(), id)), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
      try (Route53Provider provider = Route53Provider.create(dns, DnsProviderContext.remote(Clock.systemUTC())
          .withAwsCredentials(Route53Fixtures.FAKE_CREDENTIALS))) {
        ZoneReconciler reconciler = new ZoneReconciler(provider, dns, Clock.systemUTC(), e -> { });
        reconciler.awaitLive(reconciler.applyDecision(WeightPlan.base(dns), new FencingToken(1, 1)).join()).join();
        List<Long> millis = new ArrayList<>();
        Map<String, Integer> total = new TreeMap<>();
        String[] regions = {"a", "b", "c"};
        for (int i = 0; i < runs; i++) {
          var desired = i % 2 == 0 ? WeightPlan.plan(dns, List.of(regions[(i / 2) % 3])).orElseThrow()
              : WeightPlan.base(dns);
          // decisions are seconds apart in life: start each with the budget refilled (a bench may sleep)
          Thread.sleep(1_200);
          proxy.clearLog();
          Route53Api.pendingFor(proxy, pendingPolls);
          long start = System.nanoTime();
          ReconcileOutcome o = reconciler.applyDecision(desired, new FencingToken(2, 10 + i)).join();
          reconciler.awaitLive(o).join();
          millis.add((System.nanoTime() - start) / 1_000_000);
          Route53Api.counts(proxy.exchanges()).forEach((k, v) -> total.merge(k, v, Integer::sum));
        }
        Collections.sort(millis);
        double perRun = total.values().stream().mapToInt(Integer::intValue).sum() / (double) runs;
        return String.format("| %s | %d | %.1f (%s) | %.1f | %.1f | %d ms | %d ms | %d ms |%n", name, runs, perRun,
            describe(total, runs), total.getOrDefault("ChangeResourceRecordSets", 0) / (double) runs,
            total.getOrDefault("GetChange", 0) / (double) runs, pct(millis, 50), pct(millis, 95),
            millis.get(millis.size() - 1));
      }
    }
  }

  private static String describe(Map<String, Integer> total, int runs) {
    List<String> parts = new ArrayList<>();
    total.forEach((k, v) -> parts.add(String.format("%s %.1f", k, v / (double) runs)));
    return String.join(", ", parts);
  }

  private static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
