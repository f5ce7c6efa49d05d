package io.pharos.core.wire;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.MasterSecret;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The gate every report frame passes on a controller, cheapest check first, so that what an
 * outsider sends costs little and never reaches the ingest queue: size (what the configured
 * endpoints can need, {@link ReportLimits}), the clear header (version, region, key generation),
 * the MAC with that region's key at that generation (derived from the master secret), then the
 * body, replay and freshness ({@link AgentSessions}). A report is thus accepted only for the region
 * whose key signed it. Thread-safe: it runs on the Hazelcast listener threads.
 *
 * <p>Key generations come from the journal ({@code keys}): a region's current generation is
 * accepted, the previous one until its grace ends (counted from the rotation's journal entry, so
 * alike on every controller and across restarts), anything older is {@link RejectReason#EXPIRED_KEY}
 * and anything newer {@link RejectReason#UNKNOWN_KEY}.
 */
public final class ReportVerifier {
  private final MasterSecret master;
  private final Function<String, RegionKeyState> keys;
  private final ReportLimits limits;
  private final Set<String> regions = new HashSet<>();
  /** Each region's endpoint ids: looked up per observation without building a key string. */
  private final Map<String, Set<String>> endpoints = new HashMap<>();
  private final Set<String> capacityRegions = new HashSet<>();
  private final ConcurrentHashMap<SignerKey, ReportSigner> signers = new ConcurrentHashMap<>();
  private final AgentSessions sessions;

  /**
   * @param keys each region's key generations as the journal has them now (read on every frame;
   *     must be cheap and thread-safe)
   */
  public ReportVerifier(PharosConfig config, Function<String, RegionKeyState> keys) {
    this.master = config.security().requireMasterSecret();
    this.keys = keys;
    this.limits = ReportLimits.of(config);
    for (RegionConfig r : config.regions()) {
      regions.add(r.name());
      Set<String> ids = endpoints.computeIfAbsent(r.name(), k -> new HashSet<>());
      for (EndpointConfig e : r.endpoints()) {
        ids.add(e.id());
      }
      if (r.capacity() != null) {
        capacityRegions.add(r.name());
      }
    }
    this.sessions = new AgentSessions(config.probes().maxReportAge().toMillis(),
        config.security().agentStateExpiry().toMillis());
  }

  /** The outcome for one frame. */
  public sealed interface Result permits Accepted, Rejected {}

  /**
   * @param report the report, without observations of endpoints not in the config
   * @param receivedAt controller clock when the frame arrived
   * @param late true when it took too long (on the way and held by the agent) to count as a fresh vote
   * @param ageMs that time
   * @param droppedObservations observations of unknown endpoints that were dropped
   * @param skewMs the agent's wall clock behind the controller's (negative: ahead); shown only
   * @param previousKey whether the region's previous key generation signed it (during its grace)
   * @param frameBytes the frame's size
   * @param agent the agent's identity: its region and id ({@code region/id}), built once per report
   */
  public record Accepted(Report report, long receivedAt, boolean late, long ageMs, int droppedObservations,
      long skewMs, boolean previousKey, int frameBytes, String agent) implements Result {}

  /** A region's signer at one key generation. */
  private record SignerKey(String region, int generation) {}

  /**
   * @param source {@code region/agent} once the MAC proved it, else what the frame claims, marked
   *     unauthenticated (printable characters only)
   * @param authenticated whether the MAC was checked and good (the source is then real)
   */
  public record Rejected(RejectReason reason, String source, boolean authenticated, String message)
      implements Result {}

  public Result verify(byte[] frame, long receivedAt) {
    if (frame == null || frame.length > limits.acceptBytes()) {
      return unauthenticated(RejectReason.OVERSIZED, null, "frame of " + (frame == null ? 0 : frame.length)
          + " bytes is larger than the " + limits.acceptBytes() + " bytes the configured endpoints can need");
    }
    if (frame.length <= ReportSigner.MAC_LENGTH) {
      return unauthenticated(RejectReason.MALFORMED, null, "frame of " + frame.length + " bytes is too short");
    }
    int bodyLength = frame.length - ReportSigner.MAC_LENGTH;
    ReportCodec.Header h;
    try {
      h = ReportCodec.header(frame, 0, bodyLength);
    } catch (MalformedReportException e) {
      return unauthenticated(e.reason(), null, e.getMessage());
    }
    if (!regions.contains(h.region())) {
      return unauthenticated(RejectReason.UNKNOWN_REGION, h, "region '" + printable(h.region())
          + "' is not configured");
    }
    RegionKeyState state = keys.apply(h.region());
    boolean previous = false;
    if (h.keyGeneration() == state.generation() - 1) {
      if (!state.previousAccepted(receivedAt)) {
        return unauthenticated(RejectReason.EXPIRED_KEY, h, "signed with region " + h.region() + "'s previous key"
            + " generation " + h.keyGeneration() + " after its grace ended; give the agent generation "
            + state.generation() + " (`pharos keys derive --region " + h.region() + " --generation "
            + state.generation() + "`)");
      }
      previous = true;
    } else if (h.keyGeneration() < state.generation()) {
      return unauthenticated(RejectReason.EXPIRED_KEY, h, "region " + h.region() + "'s key generation "
          + h.keyGeneration() + " was retired (current: " + state.generation() + ")");
    } else if (h.keyGeneration() > state.generation()) {
      return unauthenticated(RejectReason.UNKNOWN_KEY, h, "key generation " + h.keyGeneration() + " of region "
          + h.region() + " is newer than the controllers' (" + state.generation() + "): rotate first (`pharos keys"
          + " rotate --region " + h.region() + "`), then give agents the new key");
    }
    ReportSigner signer = signers.computeIfAbsent(new SignerKey(h.region(), h.keyGeneration()),
        k -> new ReportSigner(master.regionKey(k.region(), k.generation())));
    if (!signer.verify(frame)) {
      return unauthenticated(RejectReason.BAD_SIGNATURE, h, "the MAC is not region " + h.region()
          + "'s key (generation " + h.keyGeneration() + "): the sender does not hold that region's key");
    }
    Report report;
    try {
      report = ReportCodec.decode(frame, 0, bodyLength);
    } catch (MalformedReportException e) {
      return new Rejected(e.reason(), printable(h.region() + "/" + h.agentId()), true, e.getMessage());
    }
    String agent = report.region() + "/" + report.agentId();
    long macTag = ByteBuffer.wrap(frame, bodyLength, 8).getLong();
    AgentSessions.Outcome outcome = sessions.admit(report, agent, macTag, receivedAt);
    if (outcome instanceof AgentSessions.Refused refused) {
      return new Rejected(refused.reason(), printable(agent), true, refused.message());
    }
    AgentSessions.Admitted admitted = (AgentSessions.Admitted) outcome;
    List<Observation> kept = new ArrayList<>(report.observations().size());
    for (Observation o : report.observations()) {
      Set<String> ids = endpoints.get(o.targetRegion());
      if (ids != null && ids.contains(o.endpointId())) {
        kept.add(o);
      } else if (Capacity.isCapacity(o) && o.targetRegion().equals(report.region())
          && capacityRegions.contains(report.region())) {
        kept.add(o); // a region's headroom, only from its own agents (signed with its key)
      }
    }
    int dropped = report.observations().size() - kept.size();
    return new Accepted(dropped == 0 ? report : report.withObservations(kept), receivedAt, admitted.late(),
        admitted.ageMs(), dropped, admitted.skewMs(), previous, frame.length, agent);
  }

  /** Forgets agents not heard for {@code security.agentStateExpiry}; returns how many. */
  public int expireAgents(long now) {
    return sessions.expire(now);
  }

  /** Agents whose replay and clock state this controller holds. */
  public int trackedAgents() {
    return sessions.size();
  }

  public ReportLimits limits() {
    return limits;
  }

  private static Rejected unauthenticated(RejectReason reason, ReportCodec.Header h, String message) {
    String claimed = h == null ? "unknown" : "unauthenticated " + printable(h.region() + "/" + h.agentId());
    return new Rejected(reason, claimed, false, message);
  }

  /** What a frame claims, safe for a log line: printable ASCII only, at most 64 characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
