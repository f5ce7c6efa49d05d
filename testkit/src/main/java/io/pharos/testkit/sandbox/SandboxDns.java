package io.pharos.testkit.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which DNS provider the controllers of a local sandbox drive. */
public enum SandboxDns {
  /** The default: every controller serves the zone itself from its Raft journal. */
  EMBEDDED,
  /**
   * Route 53 as moto_server serves it, behind a chaos proxy ({@link Route53Sandbox}): the
   * controllers run the real Route 53 provider against it; the proxy can throttle, fail or slow
   * their API calls.
   */
  ROUTE53;

  /** The name used in scenario files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code embedded} or {@code route53}; the message lists the choices. */
  public static SandboxDns parse(String value) {
    for (SandboxDns d : values()) {
      if (d.label().equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not a sandbox DNS provider: use " + Arrays.stream(values())
        .map(SandboxDns::label).collect(Collectors.joining(" or ")));
  }
}
