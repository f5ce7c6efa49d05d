package io.pharos.core.journal;

import java.io.IOException;

/** A journal entry of a format version newer than this replica reads: it was written by a newer build. */
public final class UnsupportedVersionException extends IOException {
  private final int version;
  private final int supported;

  public UnsupportedVersionException(int version, int supported) {
    super("journal entry format version " + version + " is newer than this controller reads (up to " + supported
        + "): upgrade it to the version the other controllers run");
    this.version = version;
    this.supported = supported;
  }

  public int version() {
    return version;
  }

  public int supported() {
    return supported;
  }
}
