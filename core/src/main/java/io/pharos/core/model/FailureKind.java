package io.pharos.core.model;

/** Why a probe failed; NONE for a good probe. Codes are part of the wire format: append only. */
public enum FailureKind {
  NONE(0),
  REFUSED(1),
  TIMEOUT(2),
  STATUS(3),
  BODY(4),
  SLOW(5),
  TLS(6),
  DNS(7),
  RESET(8),
  OTHER(9);

  private final int code;

  FailureKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static FailureKind ofCode(int code) {
    for (FailureKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown failure code " + code);
  }
}
