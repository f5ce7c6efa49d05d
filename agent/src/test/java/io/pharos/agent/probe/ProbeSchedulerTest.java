package io.pharos.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.ProbeSettings;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {
  static final ProbeSettings SETTINGS = new ProbeSettings(Duration.ofSeconds(1), Duration.ofMillis(500),
      Duration.ofMillis(250), Duration.ofSeconds(1), 3, 2, Duration.ofSeconds(1), Duration.ofSeconds(3),
      Duration.ofSeconds(5));

  final FakeTimer timer = new FakeTimer();
  final List<ProbeResult> results = new ArrayList<>();

  static ProbeTarget target(String id) {
    return new ProbeTarget("a", new EndpointConfig(id, EndpointConfig.Kind.HTTP, URI.create("http://x/"), null, 200,
        null, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500), true));
  }

  /** A probe that answers immediately from a script of ok/failed results. */
  static Probe scripted(Boolean... script) {
    Deque<Boolean> next = new ArrayDeque<>(List.of(script));
    return t -> {
      boolean ok = next.isEmpty() || next.poll();
      return Future.succeededFuture(ok ? Observation.up("a", t.endpoint().id(), 1000, 200, 0)
          : Observation.down("a", t.endpoint().id(), 1000, 0, FailureKind.REFUSED, 0));
    };
  }

  /** {@link #SETTINGS} on a 50 ms grid. */
  static final ProbeSettings ON_GRID = new ProbeSettings(SETTINGS.interval(), SETTINGS.timeout(),
      SETTINGS.confirmAfter(), SETTINGS.jitter(), SETTINGS.downAfter(), SETTINGS.upAfter(), SETTINGS.heartbeat(),
      SETTINGS.silenceAfter(), SETTINGS.maxReportAge(), SETTINGS.agentExpiry(), Duration.ofMillis(50));

  ProbeScheduler scheduler(List<ProbeTarget> targets, Probe probe) {
    return scheduler(SETTINGS, targets, probe);
  }

  ProbeScheduler scheduler(ProbeSettings settings, List<ProbeTarget> targets, Probe probe) {
    return new ProbeScheduler(targets, settings, probe, timer, new SplittableRandom(7), Clock.systemUTC(),
        results::add);
  }

  static ProbeTarget target(String id, Duration interval) {
    return new ProbeTarget("a", new EndpointConfig(id, EndpointConfig.Kind.HTTP, URI.create("http://x/"), null, 200,
        null, Duration.ofSeconds(1), interval, Duration.ofMillis(20), true));
  }

  /** A probe that answers at once and records when it started. */
  static Probe timed(FakeTimer timer, List<Long> starts, Boolean... script) {
    Probe inner = scripted(script);
    return t -> {
      starts.add(timer.nowMillis());
      return inner.probe(t);
    };
  }

  @Test
  void on_a_grid_probes_due_close_together_start_on_one_timer_at_multiples_of_the_tick() {
    List<ProbeTarget> targets = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      targets.add(target("e" + i));
    }
    timer.advance(7); // the grid is on the monotonic clock, not on the start
    List<Long> starts = new ArrayList<>();
    ProbeScheduler s = scheduler(ON_GRID, targets, timed(timer, starts));
    s.start();
    assertThat(timer.delays).as("one timer per grid point in the first second: 50, 100, ... 1000")
        .hasSizeLessThanOrEqualTo(20);
    timer.advance(3_000);
    assertThat(s.probedOnce()).isEqualTo(200);
    assertThat(starts).hasSizeBetween(600, 800).allSatisfy(t -> assertThat(t % 50).isZero());
    assertThat(timer.delays.size()).as("timers: one per grid point, not one per probe")
        .isLessThanOrEqualTo(20 * 4);
  }

  @Test
  void on_a_grid_each_start_moves_by_at_most_half_a_tick_and_intervals_keep_their_length() {
    // 1,030 ms is not a multiple of 50: rounded each time from the grid point, it would become 1,050
    List<Long> starts = new ArrayList<>();
    ProbeScheduler s = scheduler(ON_GRID, List.of(target("app", Duration.ofMillis(1030))), timed(timer, starts));
    s.start();
    timer.advance(40 * 1030);
    assertThat(starts).hasSizeBetween(39, 41);
    long first = starts.get(0);
    for (int i = 0; i < starts.size(); i++) {
      assertThat(starts.get(i) % 50).isZero();
      assertThat(Math.abs(starts.get(i) - (first + i * 1030L))).as("probe %d", i).isLessThanOrEqualTo(25 + 25);
    }
  }

  @Test
  void on_a_grid_confirmations_come_within_half_a_tick_of_confirm_after() {
    List<Long> starts = new ArrayList<>();
    ProbeScheduler s = scheduler(ON_GRID, List.of(target("app")), timed(timer, starts, true, false, false, false));
    s.start();
    timer.advance(3_000);
    assertThat(results).extracting(ProbeResult::confirmation).startsWith(false, false, true, true);
    // the probes answer at once: a confirmation starts confirmAfter (250 ms) after the flip's, give or take 25
    assertThat(starts.get(2) - starts.get(1)).isBetween(225L, 275L);
    assertThat(starts.get(3) - starts.get(2)).isBetween(225L, 275L);
  }

  @Test
  void an_endpoint_probed_more_often_than_every_two_ticks_has_a_finer_grid() {
    List<Long> starts = new ArrayList<>();
    // every 60 ms on a 50 ms grid: half of 60, a 30 ms grid, so it is probed every 60 ms and not every 50 or 100
    ProbeScheduler s = scheduler(ON_GRID, List.of(target("fast", Duration.ofMillis(60))), timed(timer, starts));
    s.start();
    timer.advance(6_000);
    assertThat(starts).hasSizeGreaterThan(80).allSatisfy(t -> assertThat(t % 30).isZero());
    double mean = (starts.get(starts.size() - 1) - starts.get(0)) / (double) (starts.size() - 1);
    assertThat(mean).isCloseTo(60.0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(ON_GRID.tickFor(60)).isEqualTo(30);
    assertThat(ON_GRID.tickFor(1000)).isEqualTo(50);
    assertThat(SETTINGS.tickFor(1000)).as("no grid: the millisecond").isEqualTo(1);
  }

  @Test
  void interval_then_confirmation_probes_after_each_flip_until_the_threshold() {
    // downAfter 3, upAfter 2
    ProbeScheduler s = scheduler(List.of(target("app")),
        scripted(true, true, false, false, false, false, true, true, true));
    s.start();
    for (int i = 0; i < 9; i++) {
      timer.runNext();
    }
    assertThat(timer.delays.get(0)).as("first probe after a jitter in [0, 1s)").isBetween(0L, 999L);
    assertThat(timer.delays.subList(1, 10)).containsExactly(
        1000L, // up
        1000L, // up
        250L, // down: flip, run 1 -> confirm
        250L, // down: run 2 -> confirm
        1000L, // down: run 3 = downAfter -> back to the interval
        1000L, // down
        250L, // up: flip, run 1 -> confirm
        1000L, // up: run 2 = upAfter
        1000L); // up
    assertThat(results).extracting(ProbeResult::flip)
        .containsExactly(false, false, true, false, false, false, true, false, false);
    assertThat(results).extracting(ProbeResult::confirmation)
        .containsExactly(false, false, false, true, true, false, false, true, false);
    assertThat(results).extracting(ProbeResult::urgent)
        .containsExactly(false, false, true, true, true, false, true, true, false);
    assertThat(s.probesRun()).isEqualTo(9);
  }

  @Test
  void a_skipped_probe_gives_no_result_is_counted_and_is_tried_again_about_an_interval_later() {
    Deque<Boolean> skip = new ArrayDeque<>(List.of(false, true, false));
    ProbeScheduler s = scheduler(List.of(target("app")), t -> skip.isEmpty() || !skip.poll()
        ? Future.succeededFuture(Observation.up("a", t.endpoint().id(), 1000, 200, 0))
        : Future.failedFuture(new ProbeSkipped("32 probes of x:80 already in flight")));
    s.start();
    for (int i = 0; i < 3; i++) {
      timer.runNext();
    }
    assertThat(results).as("the skipped probe is not a result, ok or failed").hasSize(2)
        .allMatch(r -> r.observation().ok());
    assertThat(results).extracting(ProbeResult::flip).containsExactly(false, false);
    assertThat(s.probesRun()).isEqualTo(2);
    assertThat(s.probesSkipped()).isEqualTo(1);
    assertThat(timer.delays.get(1)).isEqualTo(1000L);
    assertThat(timer.delays.get(2)).as("after a skip: half to one and a half intervals, at random")
        .isBetween(500L, 1499L);
    assertThat(timer.delays.get(3)).as("then the interval again").isEqualTo(1000L);
  }

  @Test
  void skipped_targets_try_again_at_new_phases_instead_of_finding_the_agent_full_every_round() {
    // 30 targets, their first probes spread over the first second; room for 10 probes per second
    // (in each whole second, the first 10 tries pass, the rest are skipped), every probe instant
    List<ProbeTarget> targets = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      targets.add(target("e" + i));
    }
    long[] second = {-1};
    int[] passed = {0};
    ProbeScheduler s = scheduler(targets, t -> {
      long now = timer.nowMillis();
      if (now / 1000 != second[0]) {
        second[0] = now / 1000;
        passed[0] = 0;
      }
      return ++passed[0] <= 10 ? Future.succeededFuture(Observation.up("a", t.endpoint().id(), 1000, 200, 0))
          : Future.failedFuture(new ProbeSkipped("no room"));
    });
    s.start();
    while (timer.nowMillis() < 30_000) {
      timer.runNext();
    }
    // at fixed phases the same 10 targets would take the room every second (10 probed of 30); the
    // HTTP probe's queue is what shares the room fairly, this is the scheduler's part of it
    assertThat(s.probedOnce()).as("not only the 10 whose phase came first").isGreaterThanOrEqualTo(20);
    assertThat(s.probesRun()).as("the room used: about 10 a second").isBetween(250L, 310L);
  }

  @Test
  void a_first_result_that_fails_counts_as_a_flip_and_is_confirmed() {
    ProbeScheduler s = scheduler(List.of(target("app")), scripted(false, false, false));
    s.start();
    timer.runNext();
    timer.runNext();
    assertThat(results.get(0).flip()).isTrue();
    assertThat(timer.delays.subList(1, 3)).containsExactly(250L, 250L);
    assertThat(results.get(1).confirmation()).isTrue();
  }

  @Test
  void the_interval_is_measured_from_when_the_previous_probe_was_due() {
    List<Promise<Observation>> inFlight = new ArrayList<>();
    ProbeScheduler s = scheduler(List.of(target("app")), t -> {
      Promise<Observation> p = Promise.promise();
      inFlight.add(p);
      return p.future();
    });
    s.start();
    timer.runNext(); // probe 1 starts
    timer.advance(300); // and takes 300 ms
    inFlight.get(0).complete(Observation.up("a", "app", 300_000, 200, 0));
    assertThat(timer.delays.get(1)).isEqualTo(700L);
  }

  @Test
  void never_two_probes_of_one_endpoint_in_flight() {
    List<Promise<Observation>> inFlight = new ArrayList<>();
    ProbeScheduler s = scheduler(List.of(target("app")), t -> {
      Promise<Observation> p = Promise.promise();
      inFlight.add(p);
      return p.future();
    });
    s.start();
    timer.advance(10_000);
    assertThat(inFlight).hasSize(1);
    assertThat(timer.pending()).as("nothing scheduled while a probe is in flight").isZero();
    inFlight.get(0).complete(Observation.up("a", "app", 1, 200, 0));
    timer.advance(10_000);
    assertThat(inFlight).hasSize(2);
  }

  @Test
  void first_probes_are_spread_over_the_jitter_window() {
    List<ProbeTarget> targets = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      targets.add(target("e" + i));
    }
    ProbeScheduler s = scheduler(targets, scripted());
    s.start();
    // one timer per millisecond that has probes (no grid here): some of the 200 share one
    assertThat(timer.delays).hasSizeBetween(150, 200).allSatisfy(d -> assertThat(d).isBetween(0L, 999L));
    long min = timer.delays.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = timer.delays.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(max - min).as("no probe storm: spread over most of the window").isGreaterThan(800);
    assertThat(s.firstRoundDone()).isFalse();
    timer.advance(1000);
    assertThat(s.firstRoundDone()).isTrue();
    assertThat(s.probedOnce()).isEqualTo(200);
  }

  @Test
  void stop_cancels_pending_probes_and_drops_late_results() {
    List<Promise<Observation>> inFlight = new ArrayList<>();
    ProbeScheduler s = scheduler(List.of(target("app"), target("db")), t -> {
      Promise<Observation> p = Promise.promise();
      inFlight.add(p);
      return p.future();
    });
    s.start();
    timer.runNext();
    s.stop();
    assertThat(timer.pending()).isZero();
    inFlight.get(0).complete(Observation.up("a", "app", 1, 200, 0));
    assertThat(results).isEmpty();
    assertThat(timer.pending()).isZero();
  }
}
