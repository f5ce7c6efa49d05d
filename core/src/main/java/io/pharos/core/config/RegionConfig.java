package io.pharos.core.config;

import java.util.List;
import java.util.Optional;

/** A failure domain: its name and the endpoints that must work for it to serve. */
public record RegionConfig(String name, List<EndpointConfig> endpoints) {
  public RegionConfig {
    endpoints = List.copyOf(endpoints);
  }

  public Optional<EndpointConfig> endpoint(String id) {
    return endpoints.stream().filter(e -> e.id().equals(id)).findFirst();
  }
}
