package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.cli.demo.Percentiles;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures what happens when the leader goes: kill -9 of its controller, SIGSTOP of it, or the
 * loss of its whole region (app, agent and controller). Each run is bounded (30 s) and followed by
 * a restore (restart or SIGCONT) and a wait until the sandbox is healthy again.
 */
public final class LeaderFailoverBench {
  /** What is done to the leader. */
  public enum Mode {
    KILL,
    FREEZE,
    REGION
  }

  /** One run: -1 when not seen within the deadline. */
  public record Run(Mode mode, String leader, long newLeaderMs, long committedMs) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
  private final LocalSandbox sandbox;
  private final PrintStream out;

  public LeaderFailoverBench(LocalSandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  public List<Run> run(Mode mode, int runs) {
    List<Run> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      LocalSandbox.await(Duration.ofSeconds(120), "a healthy sandbox with a leader", sandbox::settled);
      SandboxRegion leader = sandbox.leader().orElseThrow();
      long oldTerm = sandbox.status(leader).map(s -> s.path("term").asLong()).orElse(0L);
      long t0 = System.currentTimeMillis();
      switch (mode) {
        case KILL -> leader.controller().kill();
        case FREEZE -> leader.controller().freeze();
        case REGION -> {
          leader.app().kill();
          leader.agent().kill();
          leader.controller().kill();
        }
        default -> throw new IllegalStateException();
      }
      long newLeader = -1;
      long committed = -1;
      EventFeed feed = new EventFeed(others(leader).stream().map(SandboxRegion::apiUrl).toList(), t0,
          sandbox.viewerToken());
      long deadline = t0 + 30_000;
      while (System.currentTimeMillis() < deadline && (newLeader < 0 || committed < 0)) {
        if (newLeader < 0 && newLeaderElected(leader, oldTerm)) {
          newLeader = System.currentTimeMillis() - t0;
        }
        if (committed < 0) {
          committed = mode == Mode.REGION ? dnsCommitted(feed, leader, t0) : commitProbe(leader, t0);
        }
        BenchTable.pause(20);
      }
      results.add(new Run(mode, leader.name(), newLeader, committed));
      out.printf("run %2d/%d %-6s leader %-9s new leader %6s  %s %6s%n", i + 1, runs, mode, leader.name(),
          BenchTable.ms(newLeader), mode == Mode.REGION ? "DNS committed" : "next commit", BenchTable.ms(committed));
      restore(mode, leader);
    }
    return results;
  }

  private List<SandboxRegion> others(SandboxRegion r) {
    return sandbox.regions().stream().filter(x -> x != r).toList();
  }

  private boolean newLeaderElected(SandboxRegion old, long oldTerm) {
    for (SandboxRegion r : others(old)) {
      Optional<JsonNode> c = Http.get(r.apiUrl() + "/v1/controllers", sandbox.viewerToken())
          .filter(x -> x.status() == 200).map(Http.Response::json);
      if (c.isPresent() && c.get().path("acting").asBoolean() && c.get().path("term").asLong() > oldTerm) {
        return true;
      }
    }
    return false;
  }

  /** Commits a no-op operator pause/resume pair on whoever leads now; the time the pause commits. */
  private long commitProbe(SandboxRegion old, long t0) {
    for (SandboxRegion r : others(old)) {
      if (post(r, "/v1/automation/pause", "{\"reason\":\"leader failover benchmark\"}") == 200) {
        long at = System.currentTimeMillis() - t0;
        post(r, "/v1/automation/resume", "{\"reason\":\"leader failover benchmark\"}");
        return at;
      }
    }
    return -1;
  }

  private static long dnsCommitted(EventFeed feed, SandboxRegion lost, long t0) {
    for (PharosEvent e : feed.poll()) {
      if (e.type() == EventType.DNS_COMMITTED && e.region() != null && e.region().contains(lost.name())) {
        return e.at() - t0;
      }
    }
    return -1;
  }

  private int post(SandboxRegion r, String path, String body) {
    try {
      HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(r.apiUrl() + path))
          .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + sandbox.operatorToken()).build(), HttpResponse.BodyHandlers.ofString());
      return resp.statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private void restore(Mode mode, SandboxRegion r) {
    switch (mode) {
      case KILL -> sandbox.startController(r);
      case FREEZE -> r.controller().resume();
      case REGION -> {
        sandbox.startApp(r);
        sandbox.startController(r);
        sandbox.startAgent(r);
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Markdown summary. */
  public static String markdown(Mode mode, List<Run> runs) {
    Percentiles elected = new Percentiles(runs.stream().filter(r -> r.newLeaderMs() >= 0).map(Run::newLeaderMs).toList());
    Percentiles committed = new Percentiles(runs.stream().filter(r -> r.committedMs() >= 0).map(Run::committedMs).toList());
    String second = mode == Mode.REGION ? "fault → DNS committed" : "fault → next decision committed";
    String target = mode == Mode.REGION ? "≤ 5 s p99" : "≤ 2 s p99";
    return BenchTable.of(mode.name().toLowerCase() + " of the leader", List.of(elected.row("fault → new leader", ""),
        committed.row(second, target)), "Runs where it was not seen within 30 s",
        runs.stream().filter(r -> r.committedMs() < 0).count());
  }
}
