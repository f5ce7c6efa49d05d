package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.chaos.observe.AnswerSource;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a drill runs, as the runner sees it: the regions, controllers and name servers to
 * observe, and what faults can be injected there. A local sandbox (started by the runner or
 * attached to) allows every fault; a deployment allows what its URLs and proxies allow.
 *
 * <p>The environments extend {@link AbstractDrillEnvironment} (what they all share) or
 * {@link RegionalEnvironment} (a sandbox: one app, agent and controller per region).
 */
public interface DrillEnvironment extends AutoCloseable {
  /** {@code sandbox}, {@code attached sandbox} or {@code deployment}. */
  String kind();

  String describe();

  /** False for a real deployment: touching it needs --confirm. */
  boolean isSandbox();

  /** Starts what needs starting and waits until it can be drilled (every region healthy). */
  void prepare(Duration timeout, Consumer<String> progress);

  List<String> regions();

  List<String> controllerUrls();

  /** The region of a controller id, where known. */
  Optional<String> regionOfController(String controllerId);

  List<HostPort> nameServers();

  /** The name server of a region's controller, where the environment has one per region. */
  Optional<HostPort> nameServer(String region);

  /** The API of a region's controller, where the environment has one per region. */
  Optional<String> controllerUrl(String region);

  /** The DNS name the resolver check asks for, or null. */
  String record();

  /** Per region, the addresses DNS answers for it. */
  Map<String, Set<String>> addresses();

  /** The base URL of a region's app with a {@code /_fault} control resource. */
  Optional<String> appUrl(String region);

  /** The base URL of a region's agent ({@code /v1/mode}, {@code /ready}). */
  Optional<String> agentUrl(String region);

  /** A process of the environment: component app, agent or controller; throws naming why not. */
  ProcessTarget process(String component, String region);

  /** The namespace network, where partitions are possible. */
  Optional<NetnsNetwork.Descriptor> network();

  /** Node names for a partition side: regions and {@code component@region|*} refs. */
  Set<String> nodes(List<String> refs);

  /** Which process does not answer ready (a deployment: which controller), or empty when all do. */
  Optional<String> notReady();

  /** TCP chaos proxies by name. */
  Map<String, TcpChaosProxy> proxies();

  Optional<HttpChaosProxy> providerProxy();

  /**
   * Where the served answer for {@link #record()} is read: every name server, or the API of a
   * provider that holds the records elsewhere (Route 53).
   */
  List<AnswerSource> answerSources();

  /**
   * The provider API request budget (requests per second) the controllers must keep to, when the
   * environment knows it; the runner checks the calls through {@link #providerProxy()} against it.
   */
  Optional<Integer> providerRequestBudget();

  /** Clean-up the watchdog does if the runner dies (tearing down a network the runner made). */
  List<RevertSpec> cleanup();

  /**
   * The API token the runner sends: reads (status, events) need a viewer token, operator steps an
   * operator token (DESIGN.md "Who may call what"). Never logged.
   */
  Optional<String> token();

  /** The URL of a replication-lag source: {@code app:<region>} or an http(s) URL. */
  Optional<String> lagUrl(String source);

  @Override
  void close();
}
