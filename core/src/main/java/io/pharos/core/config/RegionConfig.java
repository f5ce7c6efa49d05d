package io.pharos.core.config;

import java.util.List;
import java.util.Optional;

/**
 * A failure domain: its name, the endpoints that must work for it to serve, and optionally where
 * its agents read its capacity headroom.
 *
 * @param capacity a URL answering JSON {@code {"headroomPercent": n}} (the share of its capacity the
 *     region could still take on), probed by the region's own agents; null when not configured
 */
public record RegionConfig(String name, List<EndpointConfig> endpoints, java.net.URI capacity) {
  public RegionConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** A region without a capacity endpoint. */
  public RegionConfig(String name, List<EndpointConfig> endpoints) {
    this(name, endpoints, null);
  }

  public Optional<EndpointConfig> endpoint(String id) {
    return endpoints.stream().filter(e -> e.id().equals(id)).findFirst();
  }
}
