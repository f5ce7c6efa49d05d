package io.pharos.core.journal;

/** What an intent changes. */
public enum IntentKind {
  /** Take regions out: read-only, weights to the others. */
  FAILOVER,
  /** Bring regions back: weights restored, read-write. */
  FAILBACK,
  /** One step of an evacuation: the region's weight lowered (to 0 at the last step); modes unchanged. */
  EVACUATE
}
