package io.pharos.core.journal;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.PharosEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The controllers' shared state: what is out, each region's mode, the weights at the provider,
 * the intents and their progress, the anti-flap history and the recent timeline. Immutable;
 * {@link #apply} is deterministic, so every replica that applies the same log holds the same
 * state.
 *
 * @param out regions out of traffic (as decided by the latest intent)
 * @param modes region to its decided mode
 * @param weights desired weights (latest intent, or the config's base)
 * @param zone weights the DNS provider has accepted
 * @param intents decision id to intent, unfinished ones and the most recent finished ones
 * @param autoFailovers proposer times of automatic failovers since the last acknowledgement
 * @param lastChange region to proposer time of the last change that concerned it
 * @param events recent decisions and their steps (and operator actions), oldest first; alert churn is
 *     kept apart in {@code alerts} so that it can never push a failover off this ring
 * @param lastToken token of the newest accepted intent
 * @param maintenance the active pause of automation, or null
 * @param evacuation the operator's evacuation in progress or completed (region out until failed
 *     back), or null
 * @param approvals decision id to decisions that wait (or waited) for an operator, open ones and the
 *     most recent answered ones
 * @param alerts recent raises and clears of alerts ({@link AlertRaised}), oldest first; {@link
 *     #timeline()} merges them with {@code events}
 * @param audit the audit chain: its head, the recent records and the anchor they start at
 * @param breakGlass spent recovery codes (by id) and the admin sessions they granted
 * @param regionKeys region to its report key generations, for regions whose key was rotated (the
 *     others are at {@link RegionKeyState#INITIAL})
 * @param promotedPrimary the write primary an operator promoted ({@link WritePrimaryPromoted}), which
 *     overrides the config's {@code policy.writePrimary}; null when none was promoted
 * @param statusHistory the status page's incidents and maintenance windows, kept for their retention
 *     rather than on the event ring ({@link StatusHistory})
 * @param outbox journaled alerts on their way to people, with each receiver's delivered watermark
 *     ({@link AlertOutbox})
 */
public record ControlState(
    Set<String> out,
    Map<String, RegionMode> modes,
    Map<String, Map<String, Integer>> weights,
    ZoneState zone,
    Map<String, IntentRecord> intents,
    List<Long> autoFailovers,
    Map<String, Long> lastChange,
    List<PharosEvent> events,
    FencingToken lastToken,
    Maintenance maintenance,
    Evacuation evacuation,
    Map<String, Approval> approvals,
    List<PharosEvent> alerts,
    AuditTrail audit,
    BreakGlassState breakGlass,
    Map<String, RegionKeyState> regionKeys,
    String promotedPrimary,
    StatusHistory statusHistory,
    AlertOutbox outbox) {

  /** Decisions and their steps kept: about 80 failovers of six events each. */
  public static final int MAX_EVENTS = 500;
  /** Alert raises and clears kept, apart from the decisions. */
  public static final int MAX_ALERTS = 500;
  public static final int MAX_FINISHED_INTENTS = 50;
  public static final int MAX_ANSWERED_APPROVALS = 50;

  public ControlState {
    out = Set.copyOf(out);
    modes = Map.copyOf(modes);
    weights = copy(weights);
    intents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intents));
    autoFailovers = List.copyOf(autoFailovers);
    lastChange = Map.copyOf(lastChange);
    events = List.copyOf(events);
    approvals = approvals == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(approvals));
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
    audit = audit == null ? AuditTrail.EMPTY : audit;
    breakGlass = breakGlass == null ? BreakGlassState.EMPTY : breakGlass;
    regionKeys = regionKeys == null ? Map.of() : Map.copyOf(regionKeys);
    statusHistory = statusHistory == null ? StatusHistory.EMPTY : statusHistory;
    outbox = outbox == null ? AlertOutbox.EMPTY : outbox;
  }

  /** Everything in, read-write, base weights. */
  public static ControlState initial(PharosConfig config) {
    Map<String, RegionMode> modes = new LinkedHashMap<>();
    for (String r : config.regionNames()) {
      modes.put(r, new RegionMode(Mode.READ_WRITE, FencingToken.NONE, "initial"));
    }
    Map<String, Map<String, Integer>> base = WeightPlan.base(config.dns());
    return new ControlState(Set.of(), modes, base, new ZoneState(base, FencingToken.NONE, 1), Map.of(), List.of(),
        Map.of(), List.of(), FencingToken.NONE, null, null, Map.of(), List.of(), AuditTrail.EMPTY, BreakGlassState.EMPTY, Map.of(), null,
        StatusHistory.EMPTY, AlertOutbox.EMPTY);
  }

  /**
   * The write primary now: the one an operator promoted, else {@code configured} (the config's
   * {@code policy.writePrimary}, may be null).
   */
  public String writePrimary(String configured) {
    return promotedPrimary != null ? promotedPrimary : configured;
  }

  /**
   * The whole recent timeline: decisions and their steps merged with alert raises and clears, by
   * time (a decision's event before an alert of the same millisecond). What {@code /v1/events}
   * serves.
   */
  public List<PharosEvent> timeline() {
    List<PharosEvent> out = new ArrayList<>(events.size() + alerts.size());
    int i = 0;
    int j = 0;
    while (i < events.size() || j < alerts.size()) {
      if (j == alerts.size() || (i < events.size() && events.get(i).at() <= alerts.get(j).at())) {
        out.add(events.get(i++));
      } else {
        out.add(alerts.get(j++));
      }
    }
    return out;
  }

  /** The report key generations the controllers accept for {@code region}. */
  public RegionKeyState regionKey(String region) {
    return regionKeys.getOrDefault(region, RegionKeyState.INITIAL);
  }

  /** The unfinished intent, if any (there is at most one: the journal takes one change at a time). */
  public IntentRecord pending() {
    for (IntentRecord r : intents.values()) {
      if (!r.phase().finished()) {
        return r;
      }
    }
    return null;
  }

  /** Applies one committed entry at (term, index); the status page's incidents follow what it changed. */
  public Applied apply(JournalEntry e, long term, long index) {
    Applied a = applyEntry(e, term, index);
    if (!a.accepted() || e instanceof MaintenanceScheduled || e instanceof MaintenanceCancelled
        || e instanceof StatusPruned) {
      return a;
    }
    StatusHistory history = StatusHistory.follow(this, a.state(), e);
    return history == a.state().statusHistory() ? a
        : new Applied(a.state().toBuilder().statusHistory(history).build(), true, a.detail());
  }

  private Applied applyEntry(JournalEntry e, long term, long index) {
    if (e.proposerTerm() != term) {
      return reject(e, term, "proposed in term " + e.proposerTerm() + " but appended in term " + term
          + ": the proposer was no longer leader");
    }
    FencingToken token = new FencingToken(term, index);
    if (e instanceof Intent i) {
      return applyIntent(i, token);
    }
    if (e instanceof Fenced f) {
      IntentRecord fenced = intents.get(f.decisionId());
      String what = fenced == null || fenced.intent().kind() == IntentKind.FAILOVER ? "read-only published"
          : "modes published with the intent's token (" + (fenced.intent().readOnly().isEmpty() ? "every region"
              + " read-write" : "read-only: " + String.join(", ", new TreeSet<>(fenced.intent().readOnly()))) + ")";
      return advance(f.decisionId(), IntentPhase.COMMITTED, IntentPhase.FENCED, f,
          ev(f.at(), EventType.FENCED, f.decisionId(), what, f.controller()));
    }
    if (e instanceof DnsCommitted d) {
      return applyDns(d);
    }
    if (e instanceof Completed c) {
      return applyCompleted(c);
    }
    if (e instanceof AlertRaised a) {
      // every raise and clear is an entry: on their own ring, so churn cannot evict a failover's steps
      return new Applied(toBuilder().alerts(append(alerts, List.of(new PharosEvent(a.at(), EventType.ALERT,
          a.region(), null, a.code(), (a.cleared() ? "cleared: " : a.severity() + ": ") + a.message(),
          a.controller(), null)), MAX_ALERTS)).outbox(outbox.add(a)).build(), true, "");
    }
    if (e instanceof AlertDelivered d) {
      // bookkeeping of the outbox: not on the timeline
      return new Applied(toBuilder().outbox(outbox.delivered(d)).build(), true, "");
    }
    if (e instanceof AutomationPaused p) {
      Maintenance m = new Maintenance(p.by(), p.reason(), p.at(), p.until());
      return new Applied(toBuilder()
              .events(append(events, List.of(new PharosEvent(p.at(), EventType.ALERT, null, null, "AutomationPaused",
                  "automation paused by " + p.by() + ": " + p.reason(), p.controller(), null))))
              .maintenance(m)
              .build(), true, "");
    }
    if (e instanceof AutomationResumed r) {
      return new Applied(toBuilder()
              .events(append(events, List.of(new PharosEvent(r.at(), EventType.ALERT, null, null, "AutomationResumed",
                  "automation resumed by " + r.by(), r.controller(), null))))
              .maintenance(null)
              .build(), true, "");
    }
    if (e instanceof EvacuationStarted st) {
      return applyEvacuationStarted(st);
    }
    if (e instanceof ApprovalRequested || e instanceof ApprovalGranted || e instanceof ApprovalRejected
        || e instanceof ApprovalWithdrawn) {
      return Approvals.apply(this, e);
    }
    if (e instanceof EvacuationAborted ab) {
      return applyEvacuationAborted(ab);
    }
    if (e instanceof MembershipChange m) {
      return new Applied(withEvents(List.of(new PharosEvent(m.at(), EventType.ALERT, null, null, "MembershipChange",
          m.describe(), m.controller(), null))), true, "");
    }
    if (e instanceof AuditRecorded || e instanceof AuditTruncated || e instanceof BreakGlassUsed) {
      return AuditTrail.apply(this, e, term);
    }
    if (e instanceof RegionKeyRotated k) {
      return applyKeyRotated(k);
    }
    if (e instanceof ReadOnlySet || e instanceof WritePrimaryPromoted) {
      return OperatorModes.apply(this, e, token);
    }
    if (e instanceof MaintenanceScheduled || e instanceof MaintenanceCancelled || e instanceof StatusPruned) {
      return StatusHistory.apply(this, e);
    }
    Acknowledged a = (Acknowledged) e;
    return new Applied(toBuilder()
            .autoFailovers(List.of())
            .events(append(events, List.of(new PharosEvent(a.at(), EventType.ALERT, null, null, "Acknowledged",
                a.what() + " acknowledged by " + a.by(), a.controller(), null))))
            .build(), true, "");
  }

  private Applied applyIntent(Intent i, FencingToken token) {
    IntentRecord pending = pending();
    if (pending != null) {
      return reject(i, token.term(), "intent " + pending.intent().decisionId() + " is still in progress");
    }
    if (intents.containsKey(i.decisionId())) {
      return reject(i, token.term(), "decision " + i.decisionId() + " was already committed");
    }
    if (servesNothing(i.weights())) {
      return reject(i, token.term(), "an intent may never leave a record with every weight at zero");
    }
    String evacuationProblem = EvacuationTransitions.intentProblem(evacuation, i);
    if (evacuationProblem != null) {
      return reject(i, token.term(), evacuationProblem);
    }
    Map<String, IntentRecord> nextIntents = new LinkedHashMap<>(intents);
    nextIntents.put(i.decisionId(), new IntentRecord(i, token, IntentPhase.COMMITTED));
    trimFinished(nextIntents);
    Map<String, RegionMode> nextModes = new LinkedHashMap<>(modes);
    for (String r : modes.keySet()) {
      Mode m = i.readOnly().contains(r) ? Mode.READ_ONLY : Mode.READ_WRITE;
      if (m != modes.get(r).mode() || i.regions().contains(r)) {
        nextModes.put(r, new RegionMode(m, token, i.code() + " " + i.decisionId()));
      }
    }
    List<Long> nextAuto = new ArrayList<>(autoFailovers);
    if (i.automatic() && i.kind() == IntentKind.FAILOVER) {
      nextAuto.add(i.at());
    }
    Map<String, Long> nextChange = new LinkedHashMap<>(lastChange);
    if (i.kind() != IntentKind.EVACUATE) {
      // an evacuation step is no reason to hold back an automatic failover of the region (cooldown)
      i.regions().forEach(r -> nextChange.put(r, i.at()));
    }
    List<PharosEvent> add = new ArrayList<>();
    Evacuation nextEvacuation = EvacuationTransitions.afterIntent(evacuation, i, token, add);
    Map<String, Approval> nextApprovals = Approvals.afterIntent(approvals, i, add);
    for (String r : i.regions()) {
      if (i.firstFailureAt() > 0) {
        add.add(new PharosEvent(i.firstFailureAt(), EventType.FIRST_FAILURE, r, i.decisionId(), i.code(),
            "first failing probe seen by a voting vantage", i.controller(), token));
      }
      if (i.detectedAt() > 0) {
        add.add(new PharosEvent(i.detectedAt(), EventType.DETECTED, r, i.decisionId(), i.code(), i.reason(),
            i.controller(), token));
      }
      add.add(new PharosEvent(i.at(), EventType.DECIDED, r, i.decisionId(), i.code(),
          i.kind() + (i.automatic() ? " (automatic)" : " (operator)") + ": " + i.reason(), i.controller(), token));
    }
    return new Applied(toBuilder()
            .out(i.out())
            .modes(nextModes)
            .weights(i.weights())
            .intents(nextIntents)
            .autoFailovers(nextAuto)
            .lastChange(nextChange)
            .events(append(events, add))
            .lastToken(token)
            .evacuation(nextEvacuation)
            .approvals(nextApprovals)
            .build(), true, "");
  }

  private Applied applyDns(DnsCommitted d) {
    IntentRecord r = intents.get(d.decisionId());
    if (r == null || r.phase() != IntentPhase.FENCED) {
      return reject(d, d.proposerTerm(), "decision " + d.decisionId() + " is not fenced and waiting for DNS");
    }
    if (r.token().compareTo(zone.token()) < 0) {
      return reject(d, d.proposerTerm(), "token " + r.token() + " is older than the zone's " + zone.token());
    }
    if (servesNothing(d.weights())) {
      return reject(d, d.proposerTerm(), "the zone may never hold a record with every weight at zero");
    }
    ZoneState nextZone = new ZoneState(d.weights(), r.token(), zone.serial() + 1);
    Map<String, IntentRecord> next = new LinkedHashMap<>(intents);
    next.put(d.decisionId(), r.withPhase(IntentPhase.SHIFTED));
    PharosEvent event = new PharosEvent(d.at(), EventType.DNS_COMMITTED, String.join(",", r.intent().regions()),
        d.decisionId(), d.provider(), "weights " + d.weights() + (d.changeId() == null ? "" : " change " + d.changeId()),
        d.controller(), r.token());
    return new Applied(toBuilder()
            .zone(nextZone)
            .intents(next)
            .events(append(events, List.of(event)))
            .build(), true, "");
  }

  private Applied applyCompleted(Completed c) {
    IntentRecord r = intents.get(c.decisionId());
    if (r == null || r.phase().finished()) {
      return reject(c, c.proposerTerm(), "decision " + c.decisionId() + " is not in progress");
    }
    if (!c.aborted() && r.phase() != IntentPhase.SHIFTED) {
      return reject(c, c.proposerTerm(), "decision " + c.decisionId() + " cannot complete from " + r.phase());
    }
    Map<String, IntentRecord> next = new LinkedHashMap<>(intents);
    next.put(c.decisionId(), r.withPhase(c.aborted() ? IntentPhase.ABORTED : IntentPhase.DONE));
    List<PharosEvent> add = new ArrayList<>();
    String regions = String.join(",", r.intent().regions());
    if (!c.aborted() && c.verifiedAt() > 0) {
      add.add(new PharosEvent(c.verifiedAt(), EventType.VERIFIED, regions, c.decisionId(), null, c.detail(),
          c.controller(), r.token()));
    }
    add.add(new PharosEvent(c.at(), EventType.COMPLETED, regions, c.decisionId(), c.aborted() ? "aborted" : "done",
        c.detail(), c.controller(), r.token()));
    Evacuation nextEvacuation = EvacuationTransitions.afterCompleted(evacuation, r, c, add);
    if (!c.aborted()) {
      return new Applied(toBuilder()
              .intents(next)
              .events(append(events, add))
              .evacuation(nextEvacuation)
              .outbox(outbox.event(completedAlert(r, c)))
              .build(), true, "");
    }
    // an aborted intent leaves DNS as the zone says: what is out follows what is served; modes
    // the intent fenced stay fenced (the safe side) until a person or the next decision changes them
    Set<String> servedOut = new java.util.TreeSet<>();
    for (String region : modes.keySet()) {
      boolean listed = zone.weights().values().stream().anyMatch(w -> w.containsKey(region));
      if (listed && zone.weights().values().stream().allMatch(w -> w.getOrDefault(region, 0) == 0)) {
        servedOut.add(region);
      }
    }
    Set<String> nextOut = new java.util.TreeSet<>(out);
    nextOut.removeIf(x -> r.intent().regions().contains(x) && !servedOut.contains(x));
    if (r.intent().kind() == IntentKind.FAILBACK) {
      nextOut.addAll(r.intent().regions().stream().filter(servedOut::contains).toList());
    }
    return new Applied(toBuilder()
            .out(nextOut)
            .weights(zone.weights())
            .intents(next)
            .events(append(events, add))
            .evacuation(nextEvacuation)
            .outbox(outbox.event(completedAlert(r, c)))
            .build(), true, "");
  }

  /**
   * An executed (info) or aborted (warning) change, for people (DESIGN.md "Alerts"): a one-time
   * notice in the alert outbox, never raised or cleared.
   */
  private static AlertRaised completedAlert(IntentRecord r, Completed c) {
    String kind = r.intent().kind().name().charAt(0) + r.intent().kind().name().substring(1).toLowerCase();
    return new AlertRaised(kind + (c.aborted() ? "Aborted" : "Completed"), c.aborted() ? "WARNING" : "INFO",
        String.join(",", r.intent().regions()), kind.toLowerCase() + " of " + r.intent().regions() + " "
        + (c.aborted() ? "aborted" : "completed") + " (decision " + c.decisionId() + ", token " + r.token() + "): "
        + c.detail(), false, c.proposerTerm(), c.at(), c.controller());
  }

  private Applied applyKeyRotated(RegionKeyRotated k) {
    if (!modes.containsKey(k.region())) {
      return reject(k, k.proposerTerm(), "region '" + k.region() + "' is not configured");
    }
    RegionKeyState now = regionKey(k.region());
    if (k.generation() != now.generation() + 1) {
      return reject(k, k.proposerTerm(), "region " + k.region() + "'s key is at generation " + now.generation()
          + ": the next rotation makes generation " + (now.generation() + 1) + ", not " + k.generation());
    }
    if (k.previousValidUntil() < k.at()) {
      return reject(k, k.proposerTerm(), "the previous key's grace cannot end before the rotation");
    }
    Map<String, RegionKeyState> next = new LinkedHashMap<>(regionKeys);
    next.put(k.region(), new RegionKeyState(k.generation(), k.previousValidUntil(), k.at()));
    PharosEvent event = new PharosEvent(k.at(), EventType.ALERT, k.region(), null, "RegionKeyRotated",
        "report key of region " + k.region() + " rotated to generation " + k.generation() + " by " + k.by() + ": "
            + k.reason() + "; generation " + (k.generation() - 1) + " accepted until " + java.time.Instant.ofEpochMilli(
                k.previousValidUntil()), k.controller(), null);
    return new Applied(toBuilder().regionKeys(next).events(append(events, List.of(event))).build(), true, "");
  }

  private Applied applyEvacuationStarted(EvacuationStarted st) {
    String why = EvacuationTransitions.startProblem(this, st);
    if (why != null) {
      return reject(st, st.proposerTerm(), why);
    }
    List<PharosEvent> add = new ArrayList<>();
    Evacuation ev = EvacuationTransitions.started(st, out, weights, add);
    return new Applied(toBuilder().events(append(events, add)).evacuation(ev).build(), true, "");
  }

  private Applied applyEvacuationAborted(EvacuationAborted ab) {
    String why = EvacuationTransitions.abortProblem(evacuation, ab);
    if (why != null) {
      return reject(ab, ab.proposerTerm(), why);
    }
    List<PharosEvent> add = new ArrayList<>();
    Evacuation ev = EvacuationTransitions.aborted(evacuation, ab, add);
    return new Applied(toBuilder().events(append(events, add)).evacuation(ev).build(), true, "");
  }

  private Applied advance(String id, IntentPhase from, IntentPhase to, JournalEntry e, PharosEvent event) {
    IntentRecord r = intents.get(id);
    if (r == null || r.phase() != from) {
      return reject(e, e.proposerTerm(), "decision " + id + " is not in phase " + from);
    }
    Map<String, IntentRecord> next = new LinkedHashMap<>(intents);
    next.put(id, r.withPhase(to));
    PharosEvent withToken = new PharosEvent(event.at(), event.type(), String.join(",", r.intent().regions()),
        event.decisionId(), event.code(), event.detail(), event.controller(), r.token());
    return new Applied(toBuilder().intents(next).events(append(events, List.of(withToken))).build(), true, "");
  }

  Applied reject(JournalEntry e, long term, String why) {
    PharosEvent event = new PharosEvent(e.at(), EventType.REJECTED, null, null, e.getClass().getSimpleName(), why,
        e.controller(), null);
    ControlState next = e instanceof AlertRaised
        ? toBuilder().alerts(append(alerts, List.of(event), MAX_ALERTS)).build() : withEvents(List.of(event));
    return new Applied(next, false, why);
  }

  private ControlState withEvents(List<PharosEvent> add) {
    return toBuilder().events(append(events, add)).build();
  }

  private static PharosEvent ev(long at, EventType type, String decisionId, String detail, String controller) {
    return new PharosEvent(at, type, null, decisionId, null, detail, controller, null);
  }

  /** Whether some record would serve nothing. */
  public static boolean servesNothing(Map<String, Map<String, Integer>> weights) {
    return weights.values().stream().anyMatch(w -> !w.isEmpty() && w.values().stream().allMatch(x -> x == 0));
  }

  static List<PharosEvent> append(List<PharosEvent> events, List<PharosEvent> add) {
    return append(events, add, MAX_EVENTS);
  }

  private static List<PharosEvent> append(List<PharosEvent> ring, List<PharosEvent> add, int max) {
    List<PharosEvent> next = new ArrayList<>(ring);
    next.addAll(add);
    return next.size() <= max ? next : next.subList(next.size() - max, next.size());
  }

  private static void trimFinished(Map<String, IntentRecord> intents) {
    long finished = intents.values().stream().filter(r -> r.phase().finished()).count();
    var it = intents.entrySet().iterator();
    while (finished > MAX_FINISHED_INTENTS && it.hasNext()) {
      if (it.next().getValue().phase().finished()) {
        it.remove();
        finished--;
      }
    }
  }

  private static Map<String, Map<String, Integer>> copy(Map<String, Map<String, Integer>> w) {
    Map<String, Map<String, Integer>> c = new LinkedHashMap<>();
    w.forEach((k, v) -> c.put(k, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    return java.util.Collections.unmodifiableMap(c);
  }

  /** A copy to change: every field of this state, set one by one, then {@link ControlStateBuilder#build()}. */
  ControlStateBuilder toBuilder() {
    return new ControlStateBuilder(this);
  }

  /** Regions sorted, for stable display. */
  public Set<String> outSorted() {
    return new TreeSet<>(out);
  }
}
