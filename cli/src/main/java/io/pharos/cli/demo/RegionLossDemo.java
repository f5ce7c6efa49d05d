package io.pharos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.observe.DnsQuery;
import io.pharos.chaos.observe.DnsWatcher;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's scenario: a healthy three-region sandbox, then a hard loss of one region's app
 * (kill -9), watched from the outside — the controllers' shared timeline and a resolver asking
 * the name servers — until the failover is complete.
 */
public final class RegionLossDemo {
  public static final long DETECT_TARGET_MS = 3_000;
  public static final long DNS_TARGET_MS = 5_000;

  private final LocalSandbox sandbox;
  private final PrintStream out;
  private final long startedAt = System.currentTimeMillis();

  public RegionLossDemo(LocalSandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  /** Waits until everything is up and healthy and the controllers may act, printing progress. */
  public void awaitReady(Duration timeout) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    long lastPrint = 0;
    while (true) {
      if (sandbox.allHealthy() && graceOver()) {
        SandboxRegion leader = sandbox.leader().orElseThrow();
        JsonNode s = sandbox.status(leader).orElseThrow();
        log("leader " + leader.controllerId() + " (term " + s.path("term").asLong() + "); every region HEALTHY"
            + " from every vantage");
        return;
      }
      long now = System.currentTimeMillis();
      if (now > deadline) {
        throw new IllegalStateException("the sandbox did not become healthy within " + timeout.toSeconds()
            + " s; see the logs under " + sandbox.processes().logDir());
      }
      if (now - lastPrint >= 3_000) {
        lastPrint = now;
        log("waiting: " + progress());
      }
      pause(200);
    }
  }

  private boolean graceOver() {
    return sandbox.leader().flatMap(sandbox::status)
        .map(s -> s.path("graceRemainingMs").asLong(1) == 0).orElse(false);
  }

  private String progress() {
    int controllers = 0;
    int agents = 0;
    String leader = "none yet";
    StringBuilder healthy = new StringBuilder();
    for (SandboxRegion r : sandbox.regions()) {
      controllers += Http.get(r.apiUrl() + "/ready").map(x -> x.status() == 200 ? 1 : 0).orElse(0);
      agents += Http.get(r.agentUrl() + "/ready").map(x -> x.status() == 200 ? 1 : 0).orElse(0);
    }
    Optional<SandboxRegion> l = sandbox.leader();
    if (l.isPresent()) {
      leader = l.get().controllerId();
      JsonNode s = sandbox.status(l.get()).orElse(null);
      if (s != null) {
        s.path("regions").fields().forEachRemaining(e -> healthy.append(' ').append(e.getKey()).append('=')
            .append(e.getValue().path("state").asText()));
      }
    }
    int n = sandbox.regions().size();
    return "controllers ready " + controllers + "/" + n + ", agents ready " + agents + "/" + n + ", leader " + leader
        + (healthy.length() > 0 ? ", regions" + healthy : "");
  }

  /** Kills the region's app, follows the failover to its end, and returns the measured timeline. */
  public Timeline run(String victimName) {
    SandboxRegion victim = sandbox.region(victimName);
    List<HostPort> nameServers = sandbox.regions().stream().map(r -> new HostPort("127.0.0.1", r.dnsPort())).toList();
    log("dig @127.0.0.1 -p " + victim.dnsPort() + " " + sandbox.recordName() + " A  ->  " + answer(victim));
    List<String> apis = sandbox.regions().stream().map(SandboxRegion::apiUrl).toList();
    EventFeed feed = new EventFeed(apis, System.currentTimeMillis());
    long faultAt = System.currentTimeMillis();
    try (DnsWatcher dns = new DnsWatcher(nameServers, sandbox.recordName(), "A", Set.of(victim.target()),
        Duration.ofSeconds(60), Duration.ofMillis(10)).start()) {
      log("FAULT: kill -9 the app of " + victimName + " (pid " + victim.app().pid() + ")");
      victim.app().kill();
      Map<EventType, Long> seen = follow(feed, faultAt, victimName, dns);
      Timeline t = new Timeline("hard loss of region " + victimName, faultAt);
      t.mark("fault injected", faultAt, 0);
      t.mark("first failing probe", seen.getOrDefault(EventType.FIRST_FAILURE, 0L), 0);
      t.mark("detected (region DOWN)", seen.getOrDefault(EventType.DETECTED, 0L), DETECT_TARGET_MS);
      t.mark("decided (intent committed)", seen.getOrDefault(EventType.DECIDED, 0L), 0);
      t.mark("read-only set (fenced)", seen.getOrDefault(EventType.FENCED, 0L), 0);
      t.mark("DNS changed (committed)", seen.getOrDefault(EventType.DNS_COMMITTED, 0L), DNS_TARGET_MS);
      t.mark("name servers verified", seen.getOrDefault(EventType.VERIFIED, 0L), 0);
      t.mark("resolver: first new answer", dns.firstWithout(), 0);
      t.mark("resolver: " + DnsWatcher.CONSECUTIVE + " new answers in a row", dns.settledAt(), 0);
      t.note(dns.queries() + " DNS queries to " + nameServers.size() + " name servers, " + dns.failures()
          + " unanswered");
      log("dig @127.0.0.1 -p " + victim.dnsPort() + " " + sandbox.recordName() + " A  ->  " + answer(victim));
      Http.get(victim.agentUrl() + "/v1/mode").ifPresent(r -> {
        JsonNode m = r.json();
        String line = "agent of " + victimName + " GET /v1/mode -> " + m.path("mode").asText() + " (token "
            + m.path("token").asText() + ")";
        log(line);
        t.note(line);
      });
      return t;
    }
  }

  private Map<EventType, Long> follow(EventFeed feed, long faultAt, String victim, DnsWatcher dns) {
    Map<EventType, Long> seen = new EnumMap<>(EventType.class);
    long deadline = faultAt + 30_000;
    while (System.currentTimeMillis() < deadline) {
      for (PharosEvent e : feed.poll()) {
        if (e.region() != null && e.region().contains(victim) && !seen.containsKey(e.type())) {
          seen.put(e.type(), e.at());
          out.printf("   %+8.3f s  %-14s %s%n", (e.at() - faultAt) / 1000.0, e.type(), describe(e));
        } else if (e.type() == EventType.ALERT || e.type() == EventType.REJECTED) {
          out.printf("   %+8.3f s  %-14s %s%n", (e.at() - faultAt) / 1000.0, e.type(), e.code() + " " + e.detail());
        }
      }
      if (seen.containsKey(EventType.COMPLETED) && dns.settledAt() > 0) {
        break;
      }
      pause(50);
    }
    return seen;
  }

  private static String describe(PharosEvent e) {
    String token = e.token() == null ? "" : " [token " + e.token() + "]";
    return switch (e.type()) {
      case FENCED -> "read-only published for " + e.region() + token;
      case DNS_COMMITTED -> e.detail() + token;
      case DETECTED, DECIDED -> e.detail() + token;
      default -> e.region() + ": " + e.detail() + token;
    };
  }

  private String answer(SandboxRegion ns) {
    return DnsQuery.answer(new HostPort("127.0.0.1", ns.dnsPort()), sandbox.recordName(), "A")
        .map(a -> String.join(" ", a)).orElse("(no answer)");
  }

  private void log(String s) {
    out.printf("[%5.1fs] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, s);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
