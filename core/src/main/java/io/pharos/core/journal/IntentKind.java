package io.pharos.core.journal;

/** What an intent changes. */
public enum IntentKind {
  /** Take regions out: read-only, weights to the others. */
  FAILOVER,
  /** Bring regions back: weights restored, read-write. */
  FAILBACK
}
