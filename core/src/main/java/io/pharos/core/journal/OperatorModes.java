package io.pharos.core.journal;

import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.PharosEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modes an operator sets directly, as the journal applies them: read-only on or off for a region
 * ({@link ReadOnlySet}) and a new write primary ({@link WritePrimaryPromoted}). Each takes the
 * entry's (term, index) as the token of the modes it changes, so receivers order them with the
 * intents' modes.
 */
final class OperatorModes {
  private OperatorModes() {}

  static Applied apply(ControlState s, JournalEntry e, FencingToken token) {
    if (e instanceof ReadOnlySet r) {
      return readOnly(s, r, token);
    }
    return promote(s, (WritePrimaryPromoted) e, token);
  }

  private static Applied readOnly(ControlState s, ReadOnlySet r, FencingToken token) {
    String why = common(s, r.region());
    if (why != null) {
      return s.reject(r, r.proposerTerm(), why);
    }
    Map<String, RegionMode> modes = new LinkedHashMap<>(s.modes());
    Mode mode = r.on() ? Mode.READ_ONLY : Mode.READ_WRITE;
    modes.put(r.region(), new RegionMode(mode, token, "operator " + r.by() + ": " + r.reason()));
    PharosEvent event = new PharosEvent(r.at(), EventType.ALERT, r.region(), null, "ReadOnlySet",
        "region " + r.region() + " set " + mode.label() + " by " + r.by() + ": " + r.reason(), r.controller(), token);
    return new Applied(s.toBuilder().modes(modes).events(ControlState.append(s.events(), List.of(event))).build(),
        true, "");
  }

  private static Applied promote(ControlState s, WritePrimaryPromoted p, FencingToken token) {
    String why = common(s, p.region());
    if (why != null) {
      return s.reject(p, p.proposerTerm(), why);
    }
    Map<String, RegionMode> modes = new LinkedHashMap<>(s.modes());
    String how = "operator " + p.by() + " promoted " + p.region() + ": " + p.reason();
    modes.put(p.region(), new RegionMode(Mode.READ_WRITE, token, how));
    if (p.previous() != null && !p.previous().equals(p.region()) && modes.containsKey(p.previous())) {
      // never two writers: the old primary is fenced by the same token
      modes.put(p.previous(), new RegionMode(Mode.READ_ONLY, token, how));
    }
    String lag = p.lagSeconds() < 0 ? "replication lag not read" : "replication lag " + p.lagSeconds() + " s";
    PharosEvent event = new PharosEvent(p.at(), EventType.ALERT, p.region(), null, "WritePrimaryPromoted",
        p.region() + " is the write primary" + (p.previous() == null ? "" : " (was " + p.previous() + ")") + ", by "
            + p.by() + (p.forced() ? " (forced)" : "") + "; " + lag + ": " + p.reason(), p.controller(), token);
    return new Applied(s.toBuilder().modes(modes).promotedPrimary(p.region())
        .events(ControlState.append(s.events(), List.of(event))).build(), true, "");
  }

  private static String common(ControlState s, String region) {
    if (!s.modes().containsKey(region)) {
      return "region '" + region + "' is not configured (configured: " + s.modes().keySet() + ")";
    }
    if (s.out().contains(region)) {
      return "region " + region + " is failed over: it stays read-only until failed back (`pharos failback " + region
          + "`)";
    }
    IntentRecord pending = s.pending();
    if (pending != null) {
      return "decision " + pending.intent().decisionId() + " is still in progress";
    }
    return null;
  }
}
