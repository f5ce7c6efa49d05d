package io.pharos.agent.probe;

import io.pharos.core.config.EndpointConfig;
import java.util.Objects;

/**
 * One endpoint to probe and the region it belongs to.
 *
 * @param region the region whose endpoint this is (the observation's target region)
 * @param endpoint the endpoint, with interval, timeout and latency budget already defaulted
 */
public record ProbeTarget(String region, EndpointConfig endpoint) {
  public ProbeTarget {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** {@code region/endpoint}: unique across the config. */
  public String key() {
    return region + "/" + endpoint.id();
  }
}
