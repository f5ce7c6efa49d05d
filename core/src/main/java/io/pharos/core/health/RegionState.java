package io.pharos.core.health;

/** Health of a region as the controllers judge it from the vantage quorum. */
public enum RegionState {
  HEALTHY,
  SUSPECT,
  DOWN,
  RECOVERING
}
