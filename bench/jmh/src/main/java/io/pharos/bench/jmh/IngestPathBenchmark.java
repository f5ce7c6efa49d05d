package io.pharos.bench.jmh;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.DecisionEngine;
import io.pharos.core.decision.Step;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.ControlState;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportVerifier;
import io.pharos.testkit.config.TestConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a controller does per report once the transport has delivered the frame, on one thread and
 * without Hazelcast: the verifier (size, header, MAC with the region key, body, replay and
 * freshness; on Hazelcast's listener thread in a controller) and the view aggregator (the decision
 * thread's update of the view with a verified report; its metrics and alert counters are left out),
 * and the decision step that runs after a batch. Beside them, what an agent pays to sign one. The
 * reports are the ingest benchmark's (bench/controller-ingest.sh): agents spread over the three
 * regions, each report with one observation per region, one a second per agent.
 *
 * <p>Frames are signed in advance, a ring of {@code agents} x {@link #PER_AGENT} frames with
 * rising counters and clocks; when the ring wraps, the verifier and aggregator are made anew
 * (otherwise every frame would be a replay), once every ring's length of operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class IngestPathBenchmark {
  static final int PER_AGENT = 64;
  static final long T0 = 1_800_000_000_000L;

  @Param({"300"})
  int agents;

  PharosConfig config;
  ControlState control;
  byte[][] frames;
  long[] receivedAt;
  int next;
  ReportVerifier verifier;
  ViewAggregator aggregator;
  ViewAggregator fullView;
  DecisionEngine engine;
  SignerAgent signing;

  @Setup
  public void setUp() {
    config = TestConfigs.threeRegions();
    control = ControlState.initial(config);
    List<String> regions = config.regions().stream().map(r -> r.name()).toList();
    List<SignerAgent> all = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      all.add(new SignerAgent("sim-" + i, regions.get(i % regions.size()), regions, 0x5eed0000L + i));
    }
    frames = new byte[agents * PER_AGENT][];
    receivedAt = new long[frames.length];
    int k = 0;
    for (int c = 0; c < PER_AGENT; c++) {
      for (SignerAgent a : all) {
        long sentAt = T0 + c * 1000L + (k % agents);
        frames[k] = a.signer.sign(a.report(sentAt));
        receivedAt[k++] = sentAt + 3;
      }
    }
    signing = all.get(0);
    reset();
    // every frame must pass, or the figures are of rejections
    for (int i = 0; i < frames.length; i++) {
      ReportVerifier.Result r = verifier.verify(frames[i], receivedAt[i]);
      if (!(r instanceof ReportVerifier.Accepted a) || a.late() || a.droppedObservations() > 0) {
        throw new IllegalStateException("frame " + i + " was not accepted in time and whole: " + r);
      }
      aggregator.ingest(a.report(), a.receivedAt(), a.late());
    }
    // the decision step's view: every agent heard, as after a ring; the others start afresh
    fullView = aggregator;
    engine = new DecisionEngine(config, T0);
    reset();
    next = 0;
  }

  private void reset() {
    verifier = new ReportVerifier(config, control::regionKey);
    aggregator = new ViewAggregator(config);
  }

  /** The next frame of the ring; a fresh verifier and aggregator once the whole ring went through them. */
  private int nextFrame() {
    if (next == frames.length) {
      next = 0;
      reset();
    }
    return next++;
  }

  /** Verifier only: size, header, MAC, body, replay and freshness. */
  @Benchmark
  public Object verify() {
    int i = nextFrame();
    return verifier.verify(frames[i], receivedAt[i]);
  }

  /** The verifier and then the view's update with the report (the decision thread's part of it). */
  @Benchmark
  public boolean verifyAndAggregate() {
    int i = nextFrame();
    ReportVerifier.Result r = verifier.verify(frames[i], receivedAt[i]);
    if (r instanceof ReportVerifier.Accepted a) {
      return aggregator.ingest(a.report(), a.receivedAt(), a.late());
    }
    throw new IllegalStateException("rejected: " + r);
  }

  /** One decision step over the view of {@code agents} agents (after a batch of reports, or each tick). */
  @Benchmark
  public Step decisionStep() {
    long now = T0 + (PER_AGENT - 1) * 1000L + 500;
    return engine.step(fullView.snapshot(now), control, now);
  }

  /** An agent's side: build and sign one report (HMAC with the region key). */
  @Benchmark
  public byte[] sign() {
    return signing.signer.sign(signing.report(T0));
  }

  /** A simulated agent as the ingest benchmark's: one boot, a counter, an uptime. */
  static final class SignerAgent {
    final String id;
    final String region;
    final List<String> regions;
    final ReportSigner signer;
    final long bootId;
    long counter;

    SignerAgent(String id, String region, List<String> regions, long bootId) {
      this.id = id;
      this.region = region;
      this.regions = regions;
      this.signer = new ReportSigner(TestConfigs.regionKey(region));
      this.bootId = bootId;
    }

    Report report(long sentAt) {
      List<Observation> obs = new ArrayList<>(regions.size());
      for (String r : regions) {
        obs.add(Observation.up(r, "app", 1200, 200, sentAt));
      }
      return new Report(Report.VERSION, region, signer.generation(), id, bootId, ++counter, sentAt - T0 + 60_000, 0,
          sentAt, obs);
    }
  }
}
