package io.pharos.chaos.drill;

import io.pharos.chaos.scenario.Scenario;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A running deployment reached by its controllers' URLs. Faults it allows: endpoint faults on
 * apps with a {@code /_fault} control resource, and faults on chaos proxies the runner starts in
 * front of components (TCP) or the DNS provider's API (HTTP). Processes are not reachable, and
 * only the controllers are asked whether they are ready.
 */
public final class DeploymentEnvironment extends AbstractDrillEnvironment {
  private final Scenario.Deployment d;
  private final Map<String, TcpChaosProxy> proxies = new LinkedHashMap<>();
  private HttpChaosProxy provider;
  private final String token;

  /** A deployment whose API token comes from {@code PHAROS_TOKEN} (what {@code pharos drill run} does). */
  public DeploymentEnvironment(Scenario.Deployment d) {
    this(d, null);
  }

  /** A deployment reached with {@code token} (a test or a tool that holds one), or PHAROS_TOKEN when null. */
  public DeploymentEnvironment(Scenario.Deployment d, String token) {
    this.d = d;
    this.token = token;
  }

  @Override
  public java.util.Optional<String> token() {
    return token != null ? java.util.Optional.of(token) : super.token();
  }

  @Override
  public String kind() {
    return "deployment";
  }

  @Override
  public String describe() {
    return "deployment " + (d.name() == null ? "" : d.name() + " ") + "(controllers " + d.controllers() + ")";
  }

  @Override
  public boolean isSandbox() {
    return false;
  }

  /** Starts the chaos proxies the scenario asks for. */
  @Override
  protected void start(Consumer<String> progress) {
    try {
      for (var e : d.proxies().entrySet()) {
        TcpChaosProxy p = new TcpChaosProxy(socket(e.getValue().listen()), socket(e.getValue().upstream())).start();
        proxies.put(e.getKey(), p);
        progress.accept("chaos proxy " + e.getKey() + ": " + p.address() + " -> " + p.upstream());
      }
      if (d.providerProxy() != null) {
        provider = new HttpChaosProxy(socket(d.providerProxy().listen()), URI.create(d.providerProxy().upstream()))
            .start();
        progress.accept("provider API proxy: " + provider.url() + " -> " + d.providerProxy().upstream());
      }
    } catch (IOException e) {
      close();
      throw new IllegalStateException("cannot start a chaos proxy: " + e.getMessage(), e);
    }
  }

  private static InetSocketAddress socket(String hostPort) {
    HostPort hp = HostPort.parse(hostPort);
    return new InetSocketAddress(hp.host(), hp.port());
  }

  /** The regions the scenario names, and those the first controller's status names. */
  @Override
  public List<String> regions() {
    Set<String> r = new LinkedHashSet<>(d.addresses().keySet());
    r.addAll(d.apps().keySet());
    apiGet(controllerUrls().get(0) + "/v1/status").filter(x -> x.status() == 200)
        .ifPresent(s -> s.json().path("regions").fieldNames().forEachRemaining(r::add));
    return new ArrayList<>(r);
  }

  @Override
  public List<String> controllerUrls() {
    return d.controllers().stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
  }

  @Override
  public List<HostPort> nameServers() {
    return d.nameServers().stream().map(HostPort::parse).toList();
  }

  @Override
  public String record() {
    return d.record();
  }

  @Override
  public Map<String, Set<String>> addresses() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    d.addresses().forEach((k, v) -> m.put(k, Set.copyOf(v)));
    return m;
  }

  @Override
  public Optional<String> appUrl(String region) {
    return Optional.ofNullable(d.apps().get(region));
  }

  @Override
  public Map<String, TcpChaosProxy> proxies() {
    return Map.copyOf(proxies);
  }

  @Override
  public Optional<HttpChaosProxy> providerProxy() {
    return Optional.ofNullable(provider);
  }

  @Override
  public void close() {
    proxies.values().forEach(TcpChaosProxy::close);
    proxies.clear();
    if (provider != null) {
      provider.close();
    }
  }
}
