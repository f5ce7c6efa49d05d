package io.pharos.cli;

import io.pharos.agent.AgentOptions;
import io.pharos.agent.PharosAgent;
import io.pharos.agent.probe.Probes;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos agent}: probes every region's endpoints and reports to the controllers. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run a probe agent: probes every region, reports over Hazelcast, serves GET /v1/mode.")
final class AgentCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
  @Option(names = "--config", required = true, description = "Pharos YAML config file")
  Path config;

  @Option(names = "--region", description = "the region this agent runs in")
  String region;

  @Option(names = "--region-from-node", description = "take the region from this Kubernetes node's label"
      + " (--node-label), read with the pod's service account; the region's key from PHAROS_REGION_KEY_<REGION>"
      + " when PHAROS_REGION_KEY is not set (docs/kubernetes.md, node-label mode)")
  String regionFromNode;

  @Option(names = "--node-label", defaultValue = "topology.kubernetes.io/region",
      description = "the node label --region-from-node reads (default: ${DEFAULT-VALUE})")
  String nodeLabel;

  @Option(names = "--id", description = "unique agent id (default: <region>-<hostname>)")
  String id;

  @Option(names = "--listen", defaultValue = "127.0.0.1:9470", description = "HTTP address for /v1/mode, /ready")
  String listen;

  @Option(names = "--buffer", defaultValue = "" + AgentOptions.DEFAULT_BUFFER_LIMIT,
      description = "reports kept while no controller is reachable (oldest dropped)")
  int buffer;

  @Override
  public Integer call() throws Exception {
    if ((region == null) == (regionFromNode == null)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "give exactly one of --region and --region-from-node");
    }
    java.util.Map<String, String> env = System.getenv();
    if (regionFromNode != null) {
      region = NodeRegion.read(regionFromNode, nodeLabel, env, NodeRegion.SERVICE_ACCOUNT);
      env = env.containsKey("PHAROS_REGION_KEY") ? env : NodeRegion.withRegionKey(env, region);
    }
    PharosConfig cfg = ConfigFiles.load(config, env);
    String agentId = id != null ? id : region + "-" + java.net.InetAddress.getLocalHost().getHostName();
    // an event loop per 4,000 probes a second the config asks for, up to the cores (one for 200 endpoints at 1 s);
    // at 12,000 a second two loops passed 10,367 probes/s against one loop's 8,330 (docs/benchmarks.md "Agent
    // probe throughput"); -Dpharos.agent.eventLoops=N sets it
    int loops = Integer.getInteger("pharos.agent.eventLoops",
        Probes.eventLoopsFor(cfg, Runtime.getRuntime().availableProcessors()));
    // the native transport (epoll on Linux; Vert.x falls back to NIO where it has none, and says so). Never
    // worse than NIO in the runs so far, the same RSS: at saturation +16 % and +0.5 % probes/s, at 200
    // endpoints 11.4 against 14.6 % and 12.6 against 12.8 % of a core (docs/benchmarks.md "Agent probe
    // throughput", "Agent memory and CPU"); only -Dpharos.agent.native=false runs on NIO
    boolean epoll = !"false".equalsIgnoreCase(System.getProperty("pharos.agent.native", "true").strip());
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll).setEventLoopPoolSize(loops)
        .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
    if (epoll && !vertx.isNativeTransportEnabled()) {
      LOG.warn("agent {}: no native transport here ({}), probing on NIO", agentId,
          vertx.unavailableNativeTransportCause());
    } else {
      LOG.info("agent {}: probing on the {} transport, {} event loop(s)", agentId, epoll ? "native (epoll)" : "NIO",
          loops);
    }
    PharosAgent agent = new PharosAgent(cfg, new AgentOptions(agentId, region, HostPort.parse(listen), buffer), vertx,
        Clock.systemUTC());
    agent.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Shutdown.awaitTermination("agent " + agentId, () -> {
      agent.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    });
    return 0;
  }
}
