package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.decision.ReplicationLag;
import io.pharos.chaos.observe.DnsWatcher;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Watches the environment during a drill from the outside, on its own threads: the controllers'
 * shared timeline (every 100 ms), every controller's status (one poller each, so a frozen one
 * holds up nobody), resolvers asking the name servers, and the replication-lag source.
 */
final class Observer implements AutoCloseable {
  private static final long POLL_MS = 100;

  private final DrillEnvironment env;
  private final EventFeed feed;
  private final List<PharosEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, String> decisionKinds = new ConcurrentHashMap<>();
  private final Map<String, Status> statuses = new ConcurrentHashMap<>();
  private final Map<String, Status> firstStatuses = new ConcurrentHashMap<>();
  private final Map<String, DnsWatcher> watchers = new ConcurrentHashMap<>();
  private final List<long[]> lag = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Consumer<PharosEvent> onEvent;
  private final Optional<String> lagUrl;
  private volatile boolean running = true;
  private volatile String lagError;

  /** A controller's latest status and when it was read. */
  record Status(JsonNode json, long at) {}

  Observer(DrillEnvironment env, long since, Optional<String> lagUrl, Consumer<PharosEvent> onEvent) {
    this.env = env;
    this.feed = new EventFeed(env.controllerUrls(), since, env.token().orElse(null));
    this.onEvent = onEvent;
    this.lagUrl = lagUrl;
  }

  Observer start() {
    spawn("drill-events", this::pollEvents);
    for (String url : env.controllerUrls()) {
      spawn("drill-status", () -> pollStatus(url));
    }
    lagUrl.ifPresent(u -> spawn("drill-lag", () -> pollLag(u)));
    return this;
  }

  private void spawn(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void pollEvents() {
    while (running) {
      try {
        pollOnce();
      } catch (RuntimeException ex) {
        // an unreadable answer from a controller going down: the next poll asks again
      }
      pause(POLL_MS);
    }
  }

  private void pollOnce() {
    synchronized (feed) {
      for (PharosEvent e : feed.poll()) {
        if (e.type() == EventType.DECIDED && e.decisionId() != null && e.detail() != null) {
          decisionKinds.put(e.decisionId(), e.detail().startsWith("FAILBACK") ? "FAILBACK"
              : e.detail().startsWith("EVACUATE") ? "EVACUATE" : "FAILOVER");
        }
        events.add(e);
        onEvent.accept(e);
      }
    }
  }

  /**
   * Reads the timeline once more, now: the last step may have held on a status the event poller
   * has not caught up with yet, and the report needs every event committed before the end.
   */
  void drain() {
    try {
      pollOnce();
    } catch (RuntimeException ex) {
      // no controller answering at the end: the report has what was seen
    }
  }

  private void pollStatus(String url) {
    while (running) {
      Http.get(url + "/v1/status", env.token().orElse(null)).filter(r -> r.status() == 200).ifPresent(r -> {
        Status st = new Status(r.json(), System.currentTimeMillis());
        firstStatuses.putIfAbsent(url, st);
        statuses.put(url, st);
      });
      pause(POLL_MS);
    }
  }

  private void pollLag(String url) {
    while (running) {
      Optional<Http.Response> r = Http.get(url);
      if (r.isPresent() && r.get().status() == 200) {
        ReplicationLag l = ReplicationLag.parse(r.get().body(), url);
        if (l.read()) {
          lag.add(new long[] {System.currentTimeMillis(), Math.round(l.seconds() * 1000)});
          lagError = null;
        } else {
          lagError = l.problem();
        }
      } else {
        lagError = url + (r.isEmpty() ? " does not answer" : " answered " + r.get().status());
      }
      pause(500);
    }
  }

  /** Starts watching the name servers for answers without the region's addresses (once per region). */
  void watchResolvers(String region) {
    var sources = env.answerSources();
    if (sources.isEmpty() || !env.addresses().containsKey(region)) {
      return;
    }
    watchers.computeIfAbsent(region, r -> new DnsWatcher(sources, env.addresses().get(r), Duration.ofMinutes(3),
        Duration.ofMillis(20)).start());
  }

  Optional<DnsWatcher> resolvers(String region) {
    return Optional.ofNullable(watchers.get(region));
  }

  List<PharosEvent> events() {
    return List.copyOf(events);
  }

  /** FAILOVER, FAILBACK or EVACUATE for a decision id, from its DECIDED event. */
  Optional<String> decisionKind(String decisionId) {
    return Optional.ofNullable(decisionId == null ? null : decisionKinds.get(decisionId));
  }

  /** The freshest status of a controller that says it leads, if one was read in the last 3 s. */
  Optional<JsonNode> leaderStatus() {
    long now = System.currentTimeMillis();
    return statuses.values().stream().filter(s -> now - s.at() < 3_000)
        .filter(s -> "LEADER".equals(s.json().path("role").asText()))
        .max(java.util.Comparator.comparingLong(Status::at)).map(Status::json);
  }

  /** The leader's id as the freshest status names it. */
  Optional<String> leaderId() {
    return statuses.values().stream().max(java.util.Comparator.comparingLong(Status::at))
        .map(s -> s.json().path("leader").asText(null)).filter(s -> s != null && !s.isEmpty());
  }

  Map<String, Status> statuses() {
    return new HashMap<>(statuses);
  }

  /** Each controller's first status read in this drill (for counters measured over the drill). */
  Map<String, Status> firstStatuses() {
    return new HashMap<>(firstStatuses);
  }

  List<long[]> lagSamples() {
    return List.copyOf(lag);
  }

  String lagError() {
    return lagError;
  }

  @Override
  public void close() {
    running = false;
    watchers.values().forEach(DnsWatcher::close);
    for (Thread t : threads) {
      t.interrupt();
    }
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      running = false;
    }
  }
}
