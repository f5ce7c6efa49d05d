package io.pharos.dns.rfc2136;

import java.util.List;
import java.util.stream.IntStream;

/** The zones the BIND of {@link Rfc2136ProviderTest} serves: t0.pharos.test ... t31.pharos.test. */
final class DnsProviderContractZones {
  private DnsProviderContractZones() {}

  static List<String> names() {
    return IntStream.range(0, 32).mapToObj(i -> "t" + i + ".pharos.test").toList();
  }
}
