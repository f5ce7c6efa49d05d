package io.pharos.dns;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import java.util.Map;

/** The checks every provider makes on desired weights before planning, with the same words. */
public final class PlanRules {
  /** The name of the fencing record below the zone apex. */
  public static final String FENCING_LABEL = "_pharos";

  private PlanRules() {}

  /**
   * @throws DnsProviderException (not retryable) when {@code desired} names a record the config
   *     does not steer, a region without targets, or a weight outside 0..255
   */
  public static void check(DnsConfig dns, Map<String, Map<String, Integer>> desired) {
    desired.forEach((record, regions) -> {
      RecordConfig rc = dns.record(record).orElseThrow(() -> new DnsProviderException("desired weights name record '"
          + record + "', which is not under dns.records of zone " + dns.zone() + "; add it to the config or leave it"
          + " out of the weights", false));
      regions.forEach((region, weight) -> {
        if (!rc.regions().contains(region)) {
          throw new DnsProviderException("desired weights give region '" + region + "' a weight for " + record
              + ", which has no targets there; configured regions are " + rc.regions(), false);
        }
        if (weight == null || weight < 0 || weight > 255) {
          throw new DnsProviderException("weight of " + record + " " + region + " must be 0..255, was " + weight, false);
        }
      });
    });
  }

  /** {@code _pharos.<zone>}: the TXT record holding the token of the last applied decision. */
  public static String fencingName(DnsConfig dns) {
    return FENCING_LABEL + "." + dns.zone();
  }
}
