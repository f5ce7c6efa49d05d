package io.pharos.agent.report;

import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns observations into signed reports. A report goes out on every heartbeat (even empty: it is
 * the heartbeat) and, edge-triggered, as soon as a result flips or a confirmation probe finishes.
 * Edge reports are coalesced: everything that asks for one in the same event-loop turn shares one
 * report, sent on the next turn.
 *
 * <p>{@code seq} starts at {@code clock.millis() * 1000} and increases by one per report, so it
 * keeps increasing across restarts as long as an agent sends fewer than 1000 reports a second.
 *
 * <p>Not thread-safe except for the counters: it runs on the agent's context.
 */
public final class Reporter {
  private final String agentId;
  private final String region;
  private final ReportSigner signer;
  private final Clock clock;
  private final FrameSink sink;
  private final Consumer<Runnable> nextTurn;
  private final List<Observation> pending = new ArrayList<>();
  private final AtomicLong nextSeq;
  private final AtomicLong built = new AtomicLong();
  private final AtomicLong edgeReports = new AtomicLong();
  private boolean edgeScheduled;

  /**
   * @param nextTurn runs a task on a later turn of the same context (e.g. {@code
   *     context::runOnContext})
   */
  public Reporter(String agentId, String region, ReportSigner signer, Clock clock, FrameSink sink,
      Consumer<Runnable> nextTurn) {
    this.agentId = agentId;
    this.region = region;
    this.signer = signer;
    this.clock = clock;
    this.sink = sink;
    this.nextTurn = nextTurn;
    this.nextSeq = new AtomicLong(clock.millis() * 1000L);
  }

  public void add(Observation o) {
    pending.add(o);
  }

  /** Asks for an edge-triggered report; one per event-loop turn however many ask. */
  public void reportSoon() {
    if (edgeScheduled) {
      return;
    }
    edgeScheduled = true;
    nextTurn.accept(() -> {
      edgeScheduled = false;
      // A heartbeat in between may already have carried the observations.
      if (!pending.isEmpty()) {
        edgeReports.incrementAndGet();
        reportNow();
      }
    });
  }

  /** Sends everything pending now (heartbeat, final report on stop). */
  public void reportNow() {
    long sentAt = clock.millis();
    int from = 0;
    do {
      int to = Math.min(pending.size(), from + ReportCodec.MAX_OBSERVATIONS);
      Report report = new Report(Report.VERSION, agentId, region, nextSeq.getAndIncrement(), sentAt,
          pending.subList(from, to));
      byte[] frame = signer.sign(report);
      built.incrementAndGet();
      sink.publish(frame);
      from = to;
    } while (from < pending.size());
    pending.clear();
  }

  /** Reports built and handed to the sink. */
  public long reportsBuilt() {
    return built.get();
  }

  /** Of those, how many were edge-triggered. */
  public long edgeReports() {
    return edgeReports.get();
  }

  /** The seq the next report will carry. */
  public long nextSeq() {
    return nextSeq.get();
  }
}
