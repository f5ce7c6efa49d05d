package io.pharos.core.journal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the journal knows of break-glass use: the spent codes (by id, with when they were used)
 * and the admin sessions they granted (by the session token's SHA-256). The codes' hashes are
 * never here: they live in the controllers' secret file.
 */
public record BreakGlassState(Map<String, Long> spent, Map<String, BreakGlassSession> sessions) {
  /** Spent ids kept; a code file holds a handful, so this is many regenerations' worth. */
  public static final int MAX_SPENT = 1_000;
  static final BreakGlassState EMPTY = new BreakGlassState(Map.of(), Map.of());

  public BreakGlassState {
    spent = Collections.unmodifiableMap(new LinkedHashMap<>(spent));
    sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
  }
}
