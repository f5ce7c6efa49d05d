package io.pharos.controller;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import io.pharos.testkit.config.TestConfigs;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated agent per region ({@code agent-<region>}) over a Hazelcast client — the path real
 * agents use: each report signed with its region's test key, a boot id and counter, and published
 * on two report topics as agents do. A region in {@link #dead} fails every probe of its endpoints;
 * one in {@link #silent} sends nothing.
 */
final class ReportingAgents implements AutoCloseable {
  final Set<String> dead;
  final Set<String> silent;
  private final PharosConfig config;
  private final HazelcastInstance client;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, ReportSigner> signers = new ConcurrentHashMap<>();
  // one object per boot: a round never pairs a new boot id with the old boot's counter (it did, as two
  // maps written one after the other: the new boot's next reports then looked like replays)
  private final Map<String, Boot> boots = new ConcurrentHashMap<>();
  private final long startedNanos = System.nanoTime();
  private final AtomicLong published = new AtomicLong();

  ReportingAgents(PharosConfig config, HazelcastInstance client) {
    this(config, client, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
  }

  /** With the caller's (concurrent) sets of dead and silent regions. */
  ReportingAgents(PharosConfig config, HazelcastInstance client, Set<String> dead, Set<String> silent) {
    this.config = config;
    this.client = client;
    this.dead = dead;
    this.silent = silent;
    for (RegionConfig r : config.regions()) {
      signers.put(r.name(), new ReportSigner(TestConfigs.regionKey(r.name())));
      restart(r.name());
    }
  }

  /** Reports every {@code periodMs}. */
  ReportingAgents start(long periodMs) {
    timer.scheduleAtFixedRate(this::round, 0, periodMs, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Region {@code region}'s agent starts again: a new boot id, its counter from 1. */
  void restart(String region) {
    boots.put(region, new Boot(new SecureRandom().nextLong(), new AtomicLong()));
  }

  long published() {
    return published.get();
  }

  private void round() {
    long now = System.currentTimeMillis();
    long uptime = (System.nanoTime() - startedNanos) / 1_000_000;
    for (RegionConfig vantage : config.regions()) {
      if (silent.contains(vantage.name())) {
        continue;
      }
      List<Observation> obs = new ArrayList<>();
      for (RegionConfig target : config.regions()) {
        for (EndpointConfig e : target.endpoints()) {
          obs.add(dead.contains(target.name())
              ? Observation.down(target.name(), e.id(), 1_000, 0, FailureKind.REFUSED, now)
              : Observation.up(target.name(), e.id(), 1_000, 200, now));
        }
      }
      String region = vantage.name();
      Boot boot = boots.get(region);
      byte[] frame = signers.get(region).sign(new Report(Report.VERSION, region, 1, "agent-" + region,
          boot.id(), boot.counter().incrementAndGet(), uptime, 0, now, obs));
      int first = Math.floorMod(region.hashCode(), ReportTopics.COUNT);
      for (int path = 0; path < 2; path++) {
        try {
          client.<byte[]>getTopic(ReportTopics.ALL.get((first + path) % ReportTopics.COUNT)).publish(frame);
          published.incrementAndGet();
        } catch (RuntimeException e) {
          // the member the client used is gone (a controller closed by the test): the next round
          // goes through another one. Thrown out of the task, it would cancel every later round.
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** An agent's boot: its id and the counter of its reports. */
  private record Boot(long id, AtomicLong counter) {}
}
