package io.pharos.cli;

import picocli.CommandLine;

/** Version from the jar manifest. */
public final class Version implements CommandLine.IVersionProvider {
  public static String current() {
    String v = Pharos.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"pharos " + current()};
  }
}
