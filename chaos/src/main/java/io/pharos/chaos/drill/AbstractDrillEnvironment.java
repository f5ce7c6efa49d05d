package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.chaos.observe.AnswerSource;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.sandbox.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What every drill environment shares, so that a subclass says only where things are and what it
 * can do: getting ready (start what it owns, then wait until {@link SandboxReadiness recovered}),
 * asking each process whether it is ready, reading the served answer from every name server,
 * and refusing, with the reason, the faults it has no means for (no process to signal, no
 * namespace network, no chaos proxy).
 */
public abstract class AbstractDrillEnvironment implements DrillEnvironment {
  /** One readiness question: the URL that answers 200 when ready, and what to say when it does not. */
  protected record ReadyCheck(String url, String notReady) {}

  /** True: the environments are sandboxes unless they say otherwise (a deployment). */
  @Override
  public boolean isSandbox() {
    return true;
  }

  /** {@link #start}, then waits until recovered, then {@link #afterReady}. */
  @Override
  public final void prepare(Duration timeout, Consumer<String> progress) {
    start(progress);
    SandboxReadiness.await(this, timeout, progress);
    afterReady();
  }

  /** Starts what the environment owns (processes, proxies); nothing by default. */
  protected void start(Consumer<String> progress) {}

  /** Called once the environment is recovered; nothing by default. */
  protected void afterReady() {}

  /** What must answer 200 before a drill: by default every controller's {@code /ready}. */
  protected List<ReadyCheck> readyChecks() {
    return controllerUrls().stream().map(u -> new ReadyCheck(u + "/ready", "controller " + u + " is not ready"))
        .toList();
  }

  @Override
  public final Optional<String> notReady() {
    return readyChecks().stream().filter(c -> !answersOk(c.url())).map(ReadyCheck::notReady).findFirst();
  }

  static boolean answersOk(String url) {
    return Http.get(url).map(x -> x.status() == 200).orElse(false); // /ready: open
  }

  @Override
  public Optional<String> regionOfController(String controllerId) {
    return Optional.empty();
  }

  @Override
  public Optional<HostPort> nameServer(String region) {
    return Optional.empty();
  }

  @Override
  public Optional<String> controllerUrl(String region) {
    return Optional.empty();
  }

  @Override
  public List<HostPort> nameServers() {
    return List.of();
  }

  @Override
  public Optional<String> agentUrl(String region) {
    return Optional.empty();
  }

  @Override
  public ProcessTarget process(String component, String region) {
    throw new IllegalArgumentException("the drill runner cannot signal the processes of " + describe() + " ("
        + component + "@" + region + "); there, use endpoint, flap, proxy and dns-provider faults");
  }

  @Override
  public Optional<NetnsNetwork.Descriptor> network() {
    return Optional.empty();
  }

  @Override
  public Set<String> nodes(List<String> refs) {
    throw new IllegalArgumentException("partitions need a local sandbox on the namespace network; " + describe()
        + " has none");
  }

  @Override
  public Map<String, TcpChaosProxy> proxies() {
    return Map.of();
  }

  @Override
  public Optional<HttpChaosProxy> providerProxy() {
    return Optional.empty();
  }

  /** Every name server, asked for {@link #record()}. */
  @Override
  public List<AnswerSource> answerSources() {
    return record() == null ? List.of() : nameServers().stream().map(ns -> AnswerSource.dns(ns, record(), "A"))
        .toList();
  }

  @Override
  public Optional<Integer> providerRequestBudget() {
    return Optional.empty();
  }

  @Override
  public List<RevertSpec> cleanup() {
    return List.of();
  }

  /**
   * {@code PHAROS_TOKEN} (a viewer token, or an operator one for scenarios with operator steps),
   * unless the environment knows a token (a sandbox it started or attached to). The old
   * {@code PHAROS_ADMIN_TOKEN} is still read for one release, with a warning.
   */
  @Override
  public Optional<String> token() {
    Optional<String> t = Optional.ofNullable(System.getenv("PHAROS_TOKEN")).filter(x -> !x.isEmpty());
    if (t.isEmpty()) {
      t = Optional.ofNullable(System.getenv("PHAROS_ADMIN_TOKEN")).filter(x -> !x.isEmpty());
      t.ifPresent(x -> System.err.println("pharos: PHAROS_ADMIN_TOKEN is deprecated; set PHAROS_TOKEN to a named"
          + " token (pharos tokens create)"));
    }
    return t;
  }

  /** GET {@code url} with the runner's token, when it has one. */
  protected final Optional<Http.Response> apiGet(String url) {
    return Http.get(url, token().orElse(null));
  }

  @Override
  public Optional<String> lagUrl(String source) {
    if (source == null) {
      return Optional.empty();
    }
    if (source.startsWith("app:")) {
      return appUrl(source.substring(4)).map(u -> u + "/_lag");
    }
    return Optional.of(source);
  }

  /** Stops what the environment owns; nothing by default. */
  @Override
  public void close() {}
}
