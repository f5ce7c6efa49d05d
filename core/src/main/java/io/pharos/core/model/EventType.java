package io.pharos.core.model;

/** Steps of a timeline, for the demo, drills and incident reports. */
public enum EventType {
  REGION_STATE,
  ANALYSIS,
  /** The first failing probe behind a decision (agent clock). */
  FIRST_FAILURE,
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
