package io.pharos.chaos.drill;

import io.pharos.core.config.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An environment that knows each region's app, agent and controller: a local sandbox (in this JVM
 * or attached to) and the runner's test fake. The regions, controllers, name servers, DNS
 * addresses, network nodes and what must be ready all follow from its list of {@link Site}s.
 */
public abstract class RegionalEnvironment extends AbstractDrillEnvironment {
  /** The components of a region, as scenarios name them ({@code app@eu-west}). */
  public static final List<String> COMPONENTS = List.of("app", "agent", "controller");

  /**
   * One region as the runner reaches it.
   *
   * @param appUrl the app's base URL (with {@code /healthz} and {@code /_fault}), or null
   * @param agentUrl the agent's base URL, or null
   * @param controllerId the region's controller, or null
   * @param controllerUrl that controller's API, or null
   * @param nameServer that controller's name server, or null
   * @param addresses what DNS answers for the region
   * @param nodes the network node of each component ({@link #COMPONENTS}); empty without a namespace network
   */
  protected record Site(String region, String appUrl, String agentUrl, String controllerId, String controllerUrl,
      HostPort nameServer, Set<String> addresses, Map<String, String> nodes) {}

  /** Every region, in order; read afresh on each call (a restarted process may have moved). */
  protected abstract List<Site> sites();

  /** The site of a region; throws naming the regions there are. */
  protected final Site site(String region) {
    return sites().stream().filter(s -> s.region().equals(region)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("no region '" + region + "' in the " + kind() + "; regions: " + regions()));
  }

  @Override
  public List<String> regions() {
    return sites().stream().map(Site::region).toList();
  }

  @Override
  public List<String> controllerUrls() {
    return sites().stream().map(Site::controllerUrl).filter(Objects::nonNull).toList();
  }

  @Override
  public Optional<String> regionOfController(String controllerId) {
    return sites().stream().filter(s -> controllerId.equals(s.controllerId())).map(Site::region).findFirst();
  }

  @Override
  public Optional<HostPort> nameServer(String region) {
    return Optional.ofNullable(site(region).nameServer());
  }

  @Override
  public Optional<String> controllerUrl(String region) {
    return Optional.ofNullable(site(region).controllerUrl());
  }

  @Override
  public List<HostPort> nameServers() {
    return sites().stream().map(Site::nameServer).filter(Objects::nonNull).toList();
  }

  @Override
  public Map<String, Set<String>> addresses() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    sites().forEach(s -> m.put(s.region(), s.addresses()));
    return m;
  }

  @Override
  public Optional<String> appUrl(String region) {
    return Optional.ofNullable(site(region).appUrl());
  }

  @Override
  public Optional<String> agentUrl(String region) {
    return Optional.ofNullable(site(region).agentUrl());
  }

  /** Per region, in order: the app answers {@code /healthz}, the agent and the controller {@code /ready}. */
  @Override
  protected List<ReadyCheck> readyChecks() {
    List<ReadyCheck> out = new ArrayList<>();
    for (Site s : sites()) {
      if (s.appUrl() != null) {
        out.add(new ReadyCheck(s.appUrl() + "/healthz", "the app of " + s.region() + " does not answer " + s.appUrl()
            + "/healthz"));
      }
      if (s.agentUrl() != null) {
        out.add(new ReadyCheck(s.agentUrl() + "/ready", "the agent of " + s.region() + " is not ready ("
            + s.agentUrl() + "/ready)"));
      }
      if (s.controllerUrl() != null) {
        out.add(new ReadyCheck(s.controllerUrl() + "/ready", "the controller of " + s.region() + " is not ready ("
            + s.controllerUrl() + "/ready)"));
      }
    }
    return out;
  }

  /** A region stands for its processes' nodes; {@code component@region} for one, {@code component@*} for each region's. */
  @Override
  public Set<String> nodes(List<String> refs) {
    List<Site> sites = sites();
    Set<String> out = new TreeSet<>();
    for (String ref : refs) {
      int at = ref.indexOf('@');
      if (at < 0) {
        Optional<Site> region = sites.stream().filter(s -> s.region().equals(ref)).findFirst();
        if (region.isPresent()) {
          out.addAll(region.get().nodes().values());
        } else if (sites.stream().anyMatch(s -> s.nodes().containsValue(ref))) {
          out.add(ref);
        } else {
          throw new IllegalArgumentException("'" + ref + "' is neither a region nor a process of the " + kind()
              + "; regions: " + regions());
        }
        continue;
      }
      String component = ref.substring(0, at);
      if (!COMPONENTS.contains(component)) {
        throw new IllegalArgumentException("no component '" + component + "' in " + ref + ": use one of "
            + COMPONENTS);
      }
      String region = ref.substring(at + 1);
      for (Site s : region.equals("*") ? sites : List.of(site(region))) {
        String node = s.nodes().get(component);
        if (node == null) {
          throw new IllegalArgumentException(ref + " has no network node in the " + kind());
        }
        out.add(node);
      }
    }
    return out;
  }
}
