package io.pharos.core.config;

import java.util.List;
import java.util.Map;

/**
 * A DNS record Pharos steers: one name, and per region its targets and base weight.
 *
 * @param name fully qualified name, lower case, without trailing dot
 * @param type A, AAAA or CNAME
 * @param ttl seconds
 * @param targets region name to the addresses (or one host name for CNAME) it serves
 * @param weights region name to its base weight when every region is healthy
 */
public record RecordConfig(
    String name, String type, int ttl, Map<String, List<String>> targets, Map<String, Integer> weights) {
  public RecordConfig {
    targets = Map.copyOf(targets);
    weights = Map.copyOf(weights);
  }
}
