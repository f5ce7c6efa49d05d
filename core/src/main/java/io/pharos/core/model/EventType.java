package io.pharos.core.model;

/** Steps of a timeline, for the demo, drills and incident reports. */
public enum EventType {
  REGION_STATE,
  ANALYSIS,
  DETECTED,
  DECIDED,
  FENCED,
  DNS_COMMITTED,
  VERIFIED,
  COMPLETED,
  REJECTED,
  ALERT,
  LEADER
}
