package io.pharos.core.api;

import java.util.Locale;

/**
 * What a token may do (DESIGN.md "Who may call what"); each role includes the ones before it.
 * Viewer: status, events, controllers, audit. Operator: failover, failback, evacuate, abort,
 * pause, resume, ack, approve, reject. Admin: membership, tokens, key rotation.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether a caller with this role may do what needs {@code needed}. */
  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** viewer, operator or admin (any case). */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.label().equalsIgnoreCase(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a role (viewer, operator or admin)");
  }
}
