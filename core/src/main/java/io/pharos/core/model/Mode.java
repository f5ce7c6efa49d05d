package io.pharos.core.model;

/** Whether a region's applications may take writes. */
public enum Mode {
  READ_WRITE("read-write"),
  READ_ONLY("read-only");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Mode ofLabel(String s) {
    for (Mode m : values()) {
      if (m.label.equals(s) || m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + s + "' (read-write or read-only)");
  }
}
