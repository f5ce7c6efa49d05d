package io.pharos.core.journal;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.PharosEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the next state from this one; only the fields that change are set. */
final class ControlStateBuilder {
  private Set<String> out;
  private Map<String, RegionMode> modes;
  private Map<String, Map<String, Integer>> weights;
  private ZoneState zone;
  private Map<String, IntentRecord> intents;
  private List<Long> autoFailovers;
  private Map<String, Long> lastChange;
  private List<PharosEvent> events;
  private FencingToken lastToken;
  private Maintenance maintenance;
  private Evacuation evacuation;
  private Map<String, Approval> approvals;
  private List<PharosEvent> alerts;
  private AuditTrail audit;
  private BreakGlassState breakGlass;
  private Map<String, RegionKeyState> regionKeys;
  private String promotedPrimary;
  private StatusHistory statusHistory;
  private AlertOutbox outbox;

  ControlStateBuilder(ControlState s) {
    out = s.out();
    modes = s.modes();
    weights = s.weights();
    zone = s.zone();
    intents = s.intents();
    autoFailovers = s.autoFailovers();
    lastChange = s.lastChange();
    events = s.events();
    lastToken = s.lastToken();
    maintenance = s.maintenance();
    evacuation = s.evacuation();
    approvals = s.approvals();
    alerts = s.alerts();
    audit = s.audit();
    breakGlass = s.breakGlass();
    regionKeys = s.regionKeys();
    promotedPrimary = s.promotedPrimary();
    statusHistory = s.statusHistory();
    outbox = s.outbox();
  }

  ControlStateBuilder out(Set<String> v) {
    out = v;
    return this;
  }

  ControlStateBuilder modes(Map<String, RegionMode> v) {
    modes = v;
    return this;
  }

  ControlStateBuilder weights(Map<String, Map<String, Integer>> v) {
    weights = v;
    return this;
  }

  ControlStateBuilder zone(ZoneState v) {
    zone = v;
    return this;
  }

  ControlStateBuilder intents(Map<String, IntentRecord> v) {
    intents = v;
    return this;
  }

  ControlStateBuilder autoFailovers(List<Long> v) {
    autoFailovers = v;
    return this;
  }

  ControlStateBuilder lastChange(Map<String, Long> v) {
    lastChange = v;
    return this;
  }

  ControlStateBuilder events(List<PharosEvent> v) {
    events = v;
    return this;
  }

  ControlStateBuilder lastToken(FencingToken v) {
    lastToken = v;
    return this;
  }

  ControlStateBuilder maintenance(Maintenance v) {
    maintenance = v;
    return this;
  }

  ControlStateBuilder evacuation(Evacuation v) {
    evacuation = v;
    return this;
  }

  ControlStateBuilder approvals(Map<String, Approval> v) {
    approvals = v;
    return this;
  }

  ControlStateBuilder alerts(List<PharosEvent> v) {
    alerts = v;
    return this;
  }

  ControlStateBuilder audit(AuditTrail v) {
    audit = v;
    return this;
  }

  ControlStateBuilder breakGlass(BreakGlassState v) {
    breakGlass = v;
    return this;
  }

  ControlStateBuilder outbox(AlertOutbox v) {
    outbox = v;
    return this;
  }

  ControlStateBuilder regionKeys(Map<String, RegionKeyState> v) {
    regionKeys = v;
    return this;
  }

  ControlStateBuilder promotedPrimary(String v) {
    promotedPrimary = v;
    return this;
  }

  ControlStateBuilder statusHistory(StatusHistory v) {
    statusHistory = v;
    return this;
  }

  ControlState build() {
    return new ControlState(out, modes, weights, zone, intents, autoFailovers, lastChange, events, lastToken,
        maintenance, evacuation, approvals, alerts, audit, breakGlass, regionKeys, promotedPrimary, statusHistory,
        outbox);
  }
}
