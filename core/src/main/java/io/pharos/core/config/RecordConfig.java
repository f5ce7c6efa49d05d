package io.pharos.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A DNS record Pharos steers: one name, and per region its targets and base weight.
 *
 * @param name fully qualified name, lower case, without trailing dot
 * @param type A, AAAA or CNAME
 * @param ttl seconds
 * @param targets region name to the addresses (or one host name for CNAME) it serves
 * @param weights region name to its base weight when every region is healthy
 * @param aliases region name to a Route 53 alias target (instead of targets for that region)
 */
public record RecordConfig(
    String name, String type, int ttl, Map<String, List<String>> targets, Map<String, Integer> weights,
    Map<String, Alias> aliases) {
  public RecordConfig {
    targets = Map.copyOf(targets);
    weights = Map.copyOf(weights);
    aliases = Map.copyOf(aliases);
  }

  /** A record without alias targets. */
  public RecordConfig(
      String name, String type, int ttl, Map<String, List<String>> targets, Map<String, Integer> weights) {
    this(name, type, ttl, targets, weights, Map.of());
  }

  /** Every region this record serves, by targets or by alias, sorted. */
  public java.util.SortedSet<String> regions() {
    TreeSet<String> all = new TreeSet<>(targets.keySet());
    all.addAll(aliases.keySet());
    return all;
  }

  /**
   * A Route 53 alias target ({@code AliasTarget}): a load balancer, CloudFront distribution or
   * another record set, answered by Route 53 itself.
   *
   * @param dnsName the target's DNS name, lower case, without trailing dot
   * @param hostedZoneId the hosted zone of the target (for an ELB, the ELB's canonical zone id)
   * @param evaluateTargetHealth whether Route 53 skips this record when the target is unhealthy
   */
  public record Alias(String dnsName, String hostedZoneId, boolean evaluateTargetHealth) {
    public Alias {
      Objects.requireNonNull(dnsName, "dnsName");
      Objects.requireNonNull(hostedZoneId, "hostedZoneId");
    }
  }
}
