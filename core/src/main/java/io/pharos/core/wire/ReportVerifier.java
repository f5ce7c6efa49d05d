package io.pharos.core.wire;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gate every report passes on a controller: signature, version, known region and endpoints,
 * replay and age. Not thread-safe: one ingest thread owns it.
 *
 * <p>Liveness uses the controller's receive time only. The agent's clock is used to estimate its
 * offset (skew plus minimum network delay) so that a report's age can be judged fairly; a report
 * older than {@code maxReportAge} after that correction is accepted as <em>late</em>: kept for
 * history, not counted as a fresh vote.
 */
public final class ReportVerifier {
  /** Offsets beyond this are not compensated: such a clock is broken, not skewed. */
  static final long MAX_SKEW_COMPENSATION_MS = 10_000;
  /** Reports older than this are refused outright. */
  public static final long REJECT_AFTER_MS = 10 * 60_000;
  private static final int OFFSET_SAMPLES = 16;

  private final ReportSigner signer;
  private final Set<String> regions = new HashSet<>();
  private final Set<String> endpoints = new HashSet<>();
  private final long maxReportAgeMs;
  private final long previousKeyValidUntil;
  private final Map<String, AgentClock> agents = new HashMap<>();

  /**
   * @param startedAt controller clock at start; the previous key is accepted for the configured
   *     grace after it
   */
  public ReportVerifier(PharosConfig config, long startedAt) {
    this.signer = new ReportSigner(config.security().key(), config.security().previousKey());
    for (RegionConfig r : config.regions()) {
      regions.add(r.name());
      for (EndpointConfig e : r.endpoints()) {
        endpoints.add(r.name() + "/" + e.id());
      }
    }
    this.maxReportAgeMs = config.probes().maxReportAge().toMillis();
    this.previousKeyValidUntil = startedAt + config.security().previousKeyGrace().toMillis();
  }

  /** The outcome for one frame. */
  public sealed interface Result permits Accepted, Rejected {}

  /**
   * @param report the decoded report, without observations of unknown endpoints
   * @param late true when it arrived too long after it was sent to count as a fresh vote
   * @param droppedObservations observations of unknown endpoints that were dropped
   * @param offsetMs estimated agent clock offset (positive: agent clock behind)
   * @param previousKey whether the previous (rotated-out) key signed it
   */
  public record Accepted(Report report, boolean late, int droppedObservations, long offsetMs, boolean previousKey)
      implements Result {}

  /**
   * @param source agent id when it could be read, else "unknown"
   */
  public record Rejected(RejectReason reason, String source, String message) implements Result {}

  public Result verify(byte[] frame, long receivedAt) {
    ReportSigner.KeyUsed key = signer.verify(frame);
    Report report;
    if (key == ReportSigner.KeyUsed.NONE) {
      return unverified(frame);
    }
    try {
      report = ReportCodec.decode(frame, 0, frame.length - ReportSigner.MAC_LENGTH);
    } catch (MalformedReportException e) {
      return new Rejected(e.reason(), "unknown", e.getMessage());
    }
    String source = report.agentId();
    if (key == ReportSigner.KeyUsed.PREVIOUS && receivedAt > previousKeyValidUntil) {
      return new Rejected(RejectReason.EXPIRED_KEY, source,
          "signed with the previous key after its grace period; deploy the current key to this agent");
    }
    if (!regions.contains(report.region())) {
      return new Rejected(RejectReason.UNKNOWN_REGION, source, "region '" + report.region() + "' is not configured");
    }
    long age = receivedAt - report.sentAt();
    if (age > REJECT_AFTER_MS) {
      return new Rejected(RejectReason.TOO_OLD, source, "sent " + age / 1000 + " s ago");
    }
    AgentClock clock = agents.computeIfAbsent(source, s -> new AgentClock());
    if (report.seq() <= clock.lastSeq) {
      return new Rejected(RejectReason.REPLAYED, source,
          "sequence " + report.seq() + " is not above the last seen " + clock.lastSeq);
    }
    clock.lastSeq = report.seq();
    long offset = clock.offset(age);
    boolean late = age - offset > maxReportAgeMs;
    if (late && clock.stepped(receivedAt, report.sentAt())) {
      // the agent's clock stepped: its reports arrive at their own pace, all "late" by the same
      // amount; re-baseline instead of silencing a live agent for good
      clock.rebase(age);
      offset = age;
      late = false;
    }
    clock.lastReceivedAt = receivedAt;
    clock.lastSentAt = report.sentAt();
    if (!late) {
      clock.sample(age);
    }
    List<Observation> kept = new ArrayList<>(report.observations().size());
    for (Observation o : report.observations()) {
      if (endpoints.contains(o.targetRegion() + "/" + o.endpointId())) {
        kept.add(o);
      }
    }
    int dropped = report.observations().size() - kept.size();
    Report clean = dropped == 0 ? report
        : new Report(report.version(), report.agentId(), report.region(), report.seq(), report.sentAt(), kept);
    return new Accepted(clean, late, dropped, offset, key == ReportSigner.KeyUsed.PREVIOUS);
  }

  /** Tells an unsigned report from a badly signed one from garbage, for the rejection counters. */
  private static Result unverified(byte[] frame) {
    try {
      Report r = ReportCodec.decode(frame, 0, frame.length);
      return new Rejected(RejectReason.UNSIGNED, r.agentId(), "report carries no signature");
    } catch (MalformedReportException ignored) {
      // not an unsigned body; try as a signed frame with a wrong MAC
    }
    if (frame.length > ReportSigner.MAC_LENGTH) {
      try {
        Report r = ReportCodec.decode(frame, 0, frame.length - ReportSigner.MAC_LENGTH);
        return new Rejected(RejectReason.BAD_SIGNATURE, r.agentId(),
            "signature does not match the current or previous key");
      } catch (MalformedReportException e) {
        return new Rejected(e.reason(), "unknown", e.getMessage());
      }
    }
    return new Rejected(RejectReason.MALFORMED, "unknown", "frame of " + frame.length + " bytes is too short");
  }

  /** Per-agent replay and clock-offset bookkeeping. */
  private static final class AgentClock {
    /** Late reports in a row arriving at the pace they were sent: a clock step, not a buffer flush. */
    static final int STEP_EVIDENCE = 5;
    long lastSeq = Long.MIN_VALUE;
    long lastReceivedAt = Long.MIN_VALUE;
    long lastSentAt;
    int lateAtPace;
    boolean rebased;
    final long[] samples = new long[OFFSET_SAMPLES];
    int count;
    int next;

    /** Minimum recent (receive - send): skew plus the fastest delivery seen, clamped. */
    long offset(long currentAge) {
      long min = currentAge;
      for (int i = 0; i < count; i++) {
        min = Math.min(min, samples[i]);
      }
      // a measured step (rebase) is trusted in full; otherwise large offsets are not compensated
      return rebased ? min : Math.max(-MAX_SKEW_COMPENSATION_MS, Math.min(MAX_SKEW_COMPENSATION_MS, min));
    }

    boolean stepped(long receivedAt, long sentAt) {
      long dr = receivedAt - lastReceivedAt;
      long ds = sentAt - lastSentAt;
      boolean atPace = lastReceivedAt != Long.MIN_VALUE && dr >= 200 && Math.abs(dr - ds) < 500;
      lateAtPace = atPace ? lateAtPace + 1 : 0;
      return lateAtPace >= STEP_EVIDENCE;
    }

    void rebase(long age) {
      rebased = true;
      count = 0;
      next = 0;
      lateAtPace = 0;
      sample(age);
    }

    void sample(long age) {
      samples[next] = age;
      next = (next + 1) % samples.length;
      count = Math.min(count + 1, samples.length);
    }
  }
}
