package io.pharos.core.config;

import java.util.List;
import java.util.Optional;

/** The whole validated configuration. Built only by {@link ConfigLoader}. */
public record PharosConfig(
    String environment,
    List<RegionConfig> regions,
    DnsConfig dns,
    ControllersConfig controllers,
    ProbeSettings probes,
    PolicyConfig policy,
    SecurityConfig security,
    ControllerKeyConfig controllerKeys,
    ApiConfig api,
    WebhooksConfig webhooks,
    StatusPageConfig statusPage,
    AlertsConfig alerts) {
  public PharosConfig {
    alerts = alerts == null ? AlertsConfig.defaults() : alerts;
    regions = List.copyOf(regions);
    controllerKeys = controllerKeys == null ? ControllerKeyConfig.none() : controllerKeys;
    api = api == null ? ApiConfig.defaults() : api;
    webhooks = webhooks == null ? WebhooksConfig.none() : webhooks;
    statusPage = statusPage == null ? StatusPageConfig.defaults() : statusPage;
  }

  /** A config without {@code webhooks} or {@code alerts} sections, with the status page's defaults. */
  public PharosConfig(String environment, List<RegionConfig> regions, DnsConfig dns, ControllersConfig controllers,
      ProbeSettings probes, PolicyConfig policy, SecurityConfig security, ControllerKeyConfig controllerKeys,
      ApiConfig api) {
    this(environment, regions, dns, controllers, probes, policy, security, controllerKeys, api, null, null, null);
  }

  /** A config without the controllers' key or an {@code api} section (their defaults). */
  public PharosConfig(String environment, List<RegionConfig> regions, DnsConfig dns, ControllersConfig controllers,
      ProbeSettings probes, PolicyConfig policy, SecurityConfig security) {
    this(environment, regions, dns, controllers, probes, policy, security, null, null, null, null, null);
  }

  public PharosConfig(String environment, List<RegionConfig> regions, DnsConfig dns, ControllersConfig controllers,
      ProbeSettings probes, PolicyConfig policy, SecurityConfig security, ControllerKeyConfig controllerKeys) {
    this(environment, regions, dns, controllers, probes, policy, security, controllerKeys, null, null, null, null);
  }

  public Optional<RegionConfig> region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public List<String> regionNames() {
    return regions.stream().map(RegionConfig::name).toList();
  }
}
