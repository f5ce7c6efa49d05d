package io.pharos.agent.report;

import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns observations into reports. A report goes out on every heartbeat (even empty: it is the
 * heartbeat) and, edge-triggered, as soon as a result flips or a confirmation probe finishes.
 * Edge reports are coalesced: everything that asks for one in the same event-loop turn shares one
 * report, sent on the next turn.
 *
 * <p>Replay protection is per boot: a random boot id chosen when this reporter is made and a
 * counter from 1, never derived from the wall clock. Each report carries the agent's monotonic
 * uptime; the transport signs it when it actually sends it. Observations that would make a frame
 * larger than {@code maxFrameBytes} (what the controllers accept, see ReportLimits) go in the next
 * report of the same turn.
 *
 * <p>Not thread-safe except for the counters: it runs on the agent's context.
 */
public final class Reporter {
  private final String agentId;
  private final String region;
  private final int keyGeneration;
  private final long bootId;
  private final Clock clock;
  private final LongSupplier uptime;
  private final int maxBodyBytes;
  private final ReportSink sink;
  private final Consumer<Runnable> nextTurn;
  private final List<Observation> pending = new ArrayList<>();
  private final AtomicLong counter = new AtomicLong();
  private final AtomicLong edgeReports = new AtomicLong();
  private boolean edgeScheduled;

  /**
   * @param key the region key: its region and generation go in every report
   * @param bootId this boot's random id
   * @param clock wall clock: observation order and the skew controllers show
   * @param uptime the agent's monotonic milliseconds since start
   * @param maxFrameBytes largest signed frame to build
   * @param nextTurn runs a task on a later turn of the same context (e.g. {@code
   *     context::runOnContext})
   */
  public Reporter(String agentId, RegionKey key, long bootId, Clock clock, LongSupplier uptime, int maxFrameBytes,
      ReportSink sink, Consumer<Runnable> nextTurn) {
    this.agentId = agentId;
    this.region = key.region();
    this.keyGeneration = key.generation();
    this.bootId = bootId;
    this.clock = clock;
    this.uptime = uptime;
    this.maxBodyBytes = maxFrameBytes - ReportSigner.MAC_LENGTH - ReportCodec.headerBytes(region, agentId);
    this.sink = sink;
    this.nextTurn = nextTurn;
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
    long now = uptime.getAsLong();
    int from = 0;
    do {
      int to = from;
      int bytes = 0;
      while (to < pending.size() && to - from < ReportCodec.MAX_OBSERVATIONS) {
        Observation o = pending.get(to);
        int size = ReportCodec.observationBytes(o.targetRegion(), o.endpointId());
        if (to > from && bytes + size > maxBodyBytes) {
          break;
        }
        bytes += size;
        to++;
      }
      sink.publish(new Report(Report.VERSION, region, keyGeneration, agentId, bootId, counter.incrementAndGet(), now,
          0, sentAt, pending.subList(from, to)));
      from = to;
    } while (from < pending.size());
    pending.clear();
  }

  /** Reports built and handed to the sink. */
  public long reportsBuilt() {
    return counter.get();
  }

  /** Of those, how many were edge-triggered. */
  public long edgeReports() {
    return edgeReports.get();
  }

  /** The counter of the last report built (0 before the first). */
  public long lastCounter() {
    return counter.get();
  }

  public long bootId() {
    return bootId;
  }
}
