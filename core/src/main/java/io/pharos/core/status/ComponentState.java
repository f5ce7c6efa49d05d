package io.pharos.core.status;

/** What the status page says about a component, worst last (the words public status pages use). */
public enum ComponentState {
  OPERATIONAL("Operational"),
  MAINTENANCE("Maintenance"),
  DEGRADED("Degraded"),
  MAJOR_OUTAGE("Major Outage");

  private final String label;

  ComponentState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** A CSS-friendly name: {@code major-outage}. */
  public String css() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public ComponentState worse(ComponentState other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
