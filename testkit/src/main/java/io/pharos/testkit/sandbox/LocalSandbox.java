package io.pharos.testkit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.config.SecurityConfig;
import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.net.PartitionInjector;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A multi-region Pharos on one machine: per region an app endpoint, an agent and a controller,
 * each its own JVM, with logs and Raft data under one run directory. Shared by the demo, the
 * drills and the multi-process tests. Closing it stops everything it started.
 *
 * <p>On {@link SandboxNetwork#LOOPBACK} every process listens on 127.0.0.1. On
 * {@link SandboxNetwork#NETNS} every process runs in its own network namespace with its own
 * address (see {@link NetnsNetwork}), so that {@link #partition(Set, Set)} can cut any regions or
 * single processes from each other with iptables, and {@link #heal()} joins them again. A
 * descriptor of the running sandbox ({@code sandbox.json} in the run directory) lets another
 * process — a drill runner, a watchdog — attach to it.
 */
public final class LocalSandbox implements AutoCloseable {
  public static final List<String> DEFAULT_REGIONS = List.of("eu-west", "us-east", "ap-south");
  public static final String DEFAULT_PROBES =
      "{ interval: 1s, timeout: 500ms, confirmAfter: 250ms, downAfter: 3, upAfter: 3, heartbeat: 1s }";
  public static final String DEFAULT_POLICY =
      "{ mode: auto, cooldown: 1m, startupGrace: 5s, recoverAfter: 10s, maxAutoFailovers: { count: 3, per: 1h } }";

  private final Path runDir;
  private final Launcher launcher;
  private final List<SandboxRegion> regions;
  private final Map<String, String> env;
  private final SandboxSecrets secrets;
  private final MasterSecret masterSecret;
  private final ProcessGroup group;
  private final Path configFile;
  private final List<String> controllerJvm;
  private final String zoneName;
  private final int ttl;
  private final NetnsNetwork network;
  private final PartitionInjector partitions;
  private final String runTag;
  private final SandboxDns dns;
  private final Route53Sandbox route53;
  private final Map<String, String> controllerEnv;
  private final SandboxHealth health;
  private final SandboxTls tls;

  LocalSandbox(LocalSandboxBuilder b) {
    this.runDir = b.runDir.toAbsolutePath();
    this.launcher = b.launcher;
    this.controllerJvm = b.controllerJvm;
    this.runTag = "sb" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-" + ProcessHandle.current().pid();
    if (b.network == SandboxNetwork.NETNS) {
      List<String> nodes = new ArrayList<>();
      for (String name : b.regions) {
        nodes.addAll(List.of("app-" + name, "agent-" + name, "c-" + name));
      }
      this.network = NetnsNetwork.create(nodes);
      this.partitions = new PartitionInjector(network.descriptor(), runTag);
    } else {
      this.network = null;
      this.partitions = null;
    }
    List<SandboxRegion> rs = new ArrayList<>();
    for (int i = 0; i < b.regions.size(); i++) {
      String name = b.regions.get(i);
      SandboxRegion.Hosts hosts = network == null ? SandboxRegion.Hosts.LOOPBACK
          : new SandboxRegion.Hosts(network.address("app-" + name), network.address("agent-" + name),
              network.address("c-" + name));
      rs.add(new SandboxRegion(name, SandboxConfig.targetFor(i), Ports.free(), Ports.free(), "c-" + name, Ports.free(),
          Ports.free(), Ports.free(), Ports.free(), new SandboxRegion.Processes(), hosts));
    }
    this.regions = List.copyOf(rs);
    this.secrets = SandboxSecrets.create(runDir);
    this.health = new SandboxHealth(regions, secrets.viewer());
    this.zoneName = b.zone;
    this.ttl = b.ttl;
    this.dns = b.dns;
    // throwaway secrets per sandbox, so every sandbox, drill and test runs the real checks:
    // controllers get the master secret, each region's agent only its own region's key
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.masterSecret = MasterSecret.of(HexFormat.of().formatHex(secret));
    Map<String, String> processEnv = new java.util.LinkedHashMap<>(b.extraEnv);
    this.env = Map.copyOf(processEnv);
    Map<String, String> cEnv = new LinkedHashMap<>(processEnv);
    cEnv.put(SecurityConfig.DEFAULT_MASTER_SECRET_ENV, HexFormat.of().formatHex(secret));
    if (dns == SandboxDns.ROUTE53) {
      cEnv.putAll(Route53Sandbox.TEST_CREDENTIALS);
    }
    this.controllerEnv = Map.copyOf(cEnv);
    Route53Sandbox r53 = null;
    try {
      Files.createDirectories(runDir);
      this.group = new ProcessGroup(runDir.resolve("logs"));
      if (dns == SandboxDns.ROUTE53) {
        r53 = Route53Sandbox.start(group, b.zone, network == null ? "127.0.0.1" : network.gateway(),
            List.of(new Route53Sandbox.Record(recordName(), "A", b.ttl, targets(), SandboxConfig.baseWeights(regions))));
      }
      configFile = runDir.resolve("pharos.yaml");
      tls = SandboxTls.generate(runDir, regions);
      Files.writeString(configFile, SandboxConfig.yaml(regions, b.probes, b.policy, b.ttl, b.zone, r53, tls)
          + secrets.yaml());
    } catch (IOException | RuntimeException e) {
      if (r53 != null) {
        r53.close();
      }
      if (network != null) {
        network.close();
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write the sandbox config under " + runDir, io);
      }
      throw (RuntimeException) e;
    }
    this.route53 = r53;
  }

  public static LocalSandboxBuilder builder(Path runDir, Launcher launcher) {
    return new LocalSandboxBuilder(runDir, launcher);
  }

  /** Starts every process: apps, then controllers, then agents. Returns at once. */
  public LocalSandbox start() {
    for (SandboxRegion r : regions) {
      startApp(r);
    }
    for (SandboxRegion r : regions) {
      startController(r);
    }
    for (SandboxRegion r : regions) {
      startAgent(r);
    }
    return this;
  }

  /** Whether {@link #start()} (or any region's process) has been started; moto_server does not count. */
  public boolean started() {
    return regions.stream().anyMatch(r -> r.app() != null || r.agent() != null || r.controller() != null);
  }

  public ManagedProcess startApp(SandboxRegion r) {
    r.processes().app = group.start("app-" + r.name(), in(r.node(SandboxRegion.Component.APP), launcher.command(jvm(32),
        launcher.nodes().app(r.hosts().app() + ":" + r.appPort(), r.name()))), env);
    writeDescriptor();
    return r.processes().app;
  }

  public ManagedProcess startController(SandboxRegion r) {
    List<String> flags = new ArrayList<>(Launcher.HAZELCAST_MEMBER_FLAGS);
    flags.addAll(controllerJvm == null ? jvm(192) : controllerJvm);
    r.processes().controller = group.start(r.controllerId(), in(r.controllerId(), launcher.command(flags,
        launcher.nodes().controller(configFile, r.controllerId(), runDir.resolve("data")))), controllerEnv);
    writeDescriptor();
    return r.processes().controller;
  }

  /** The exit code of a controller that stopped at a journal entry it cannot apply: restarting it would not help. */
  public static final int EXIT_UNAPPLIABLE_ENTRY = 72;
  private final Set<ManagedProcess> notRestarted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * What a supervisor does: restarts every controller that exited on its own (a controller exits
   * when its Raft server closes or its Hazelcast member wedges, expecting to be restarted), except
   * one that exited with {@link #EXIT_UNAPPLIABLE_ENTRY} (as systemd's
   * {@code RestartPreventExitStatus=72} would: it would stop at the same entry again).
   *
   * @return one line per controller that exited (once for one not restarted): which, its exit code, and
   *     whether it was restarted
   */
  public List<String> restartExitedControllers() {
    List<String> restarted = new ArrayList<>();
    for (SandboxRegion r : regions) {
      ManagedProcess c = r.controller();
      if (c != null && c.exitedOnItsOwn()) {
        if (c.exitValue() == EXIT_UNAPPLIABLE_ENTRY) {
          if (notRestarted.add(c)) {
            restarted.add(r.controllerId() + " exited with " + c.exitValue()
                + " (a journal entry it cannot apply): not restarted");
          }
          continue;
        }
        restarted.add(r.controllerId() + " exited with " + c.exitValue());
        startController(r);
      }
    }
    return restarted;
  }

  public ManagedProcess startAgent(SandboxRegion r) {
    r.processes().agent = group.start("agent-" + r.name(), in(r.node(SandboxRegion.Component.AGENT),
        launcher.command(jvm(48), launcher.nodes().agent(configFile, r.name(), "agent-" + r.name(),
            r.hosts().agent() + ":" + r.agentPort()))), agentEnv(r.name()));
    writeDescriptor();
    return r.processes().agent;
  }

  /** Restarts a component that was killed (or stops and restarts it): a new process, same ports. */
  public ManagedProcess restart(SandboxRegion r, SandboxRegion.Component c) {
    ManagedProcess old = r.process(c);
    if (old != null && old.isAlive()) {
      old.stop(Duration.ofSeconds(10));
    }
    return switch (c) {
      case APP -> startApp(r);
      case AGENT -> startAgent(r);
      case CONTROLLER -> startController(r);
    };
  }

  private List<String> in(String node, List<String> command) {
    return network == null ? command : network.exec(node, command);
  }

  /** Which DNS provider the controllers drive. */
  public SandboxDns dns() {
    return dns;
  }

  /** moto_server and the API proxy in front of it, when the sandbox runs on {@link SandboxDns#ROUTE53}. */
  public Optional<Route53Sandbox> route53() {
    return Optional.ofNullable(route53);
  }

  /** Which network the processes live on. */
  public SandboxNetwork networkMode() {
    return network == null ? SandboxNetwork.LOOPBACK : SandboxNetwork.NETNS;
  }

  /** The namespace network, on {@link SandboxNetwork#NETNS}. */
  public Optional<NetnsNetwork> network() {
    return Optional.ofNullable(network);
  }

  /** The tag in every iptables rule this sandbox adds ({@code pharos:<runTag>:...}). */
  public String runTag() {
    return runTag;
  }

  /**
   * Cuts side A from side B, both ways. Each side names regions (all three processes of the
   * region) or single processes by node name ({@code app-eu-west}, {@code agent-eu-west},
   * {@code c-eu-west}). Needs {@link SandboxNetwork#NETNS}.
   */
  public PartitionInjector.Cut partition(Set<String> sideA, Set<String> sideB) {
    return partitions().partition(nodes(sideA), nodes(sideB));
  }

  /** Removes every partition of this sandbox. */
  public void heal() {
    if (partitions != null) {
      partitions.healAll();
    }
  }

  /** Removes one partition. */
  public void heal(PartitionInjector.Cut cut) {
    partitions().heal(cut);
  }

  /** The lower-level injector (one-way blocks, isolating one node, listing leftover rules). */
  public PartitionInjector partitions() {
    if (partitions == null) {
      throw new IllegalStateException("partitions need the namespace network: build the sandbox with"
          + " .network(SandboxNetwork.NETNS) (root, iproute2 and iptables)");
    }
    return partitions;
  }

  /** Region names expanded to their three node names; node names kept. */
  public Set<String> nodes(Set<String> regionsOrNodes) {
    return SandboxNodes.expand(regions, regionsOrNodes);
  }

  /** The descriptor file another process attaches with. */
  public Path descriptorFile() {
    return runDir.resolve(SandboxDescriptor.FILE);
  }

  private void writeDescriptor() {
    SandboxDescriptor.write(this);
  }

  int ttl() {
    return ttl;
  }

  private static List<String> jvm(int heapMb) {
    List<String> flags = new ArrayList<>(Launcher.LEAN);
    flags.add("-Xmx" + heapMb + "m");
    return flags;
  }

  /**
   * Waits until every controller is ready, one of them leads, every agent is ready and every
   * controller sees every region HEALTHY.
   */
  public void awaitHealthy(Duration timeout) {
    await(timeout, "every process ready and every region healthy", this::allHealthy);
  }

  /** See {@link SandboxHealth#allHealthy}. */
  public boolean allHealthy() {
    return health.allHealthy();
  }

  /** Healthy everywhere, every region back in traffic, and no decision in progress. */
  public boolean settled() {
    return health.settled();
  }

  /** Waits until {@code condition} holds, polling every 50 ms; fails naming {@code what}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    SandboxHealth.await(timeout, what, condition);
  }

  /** The controller's {@code /v1/status}, if it answers (read with the viewer token). */
  public Optional<JsonNode> status(SandboxRegion r) {
    return health.status(r);
  }

  /** The region whose controller is the leader now, if any controller names one. */
  public Optional<SandboxRegion> leader() {
    return health.leader();
  }

  public List<SandboxRegion> regions() {
    return regions;
  }

  public SandboxRegion region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no region " + name + " in this sandbox"));
  }

  public Path runDir() {
    return runDir;
  }

  /** The controller's action log (every external action with term, token and outcome). */
  public Path actionLog(SandboxRegion r) {
    return runDir.resolve("data").resolve(r.controllerId()).resolve("actions.jsonl");
  }

  public Path configFile() {
    return configFile;
  }

  /**
   * Every controller's Hazelcast address ({@code host:port}): all an outsider needs besides the
   * cluster name ({@code pharos} in a sandbox) to attack the data plane (io.pharos.testkit.attack).
   */
  public List<String> hazelcastAddresses() {
    return regions.stream().map(r -> r.hosts().controller() + ":" + r.hazelcastPort()).toList();
  }

  /** The controllers' Raft TLS material (a throwaway CA and one certificate per controller). */
  public SandboxTls tls() {
    return tls;
  }

  /** The Raft group name the sandbox's controllers use (the config's default). */
  public String raftGroup() {
    return "pharos";
  }

  /** Each controller's Raft address, by controller id (what {@code /v1/controllers} shows anyone). */
  public Map<String, io.pharos.core.config.HostPort> raftAddresses() {
    Map<String, io.pharos.core.config.HostPort> m = new LinkedHashMap<>();
    regions.forEach(r -> m.put(r.controllerId(), new io.pharos.core.config.HostPort(r.hosts().controller(),
        r.raftPort())));
    return m;
  }

  /** The environment every process gets (agents and controllers add their own secrets to it). */
  public Map<String, String> env() {
    return env;
  }

  /** The throwaway API tokens, codes and key files of this sandbox (never print a value). */
  public SandboxSecrets secrets() {
    return secrets;
  }

  /** An agent's environment: {@link #env()} and its region's report key (never print it). */
  public Map<String, String> agentEnv(String region) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put(SecurityConfig.DEFAULT_REGION_KEY_ENV, regionKey(region, 1).format());
    return Map.copyOf(e);
  }

  /**
   * Region {@code region}'s report key at {@code generation}, derived from this sandbox's throwaway
   * master secret: what {@code pharos keys derive} prints on the controllers (for tests that play
   * an agent, or a compromised one).
   */
  public RegionKey regionKey(String region, int generation) {
    return masterSecret.regionKey(region, generation);
  }

  /** The controllers' environment: {@link #env()} and the throwaway master secret (never print it). */
  public Map<String, String> controllerEnv() {
    return controllerEnv;
  }

  /** A viewer token the controllers accept (reads: status, events, audit). */
  public String viewerToken() {
    return secrets.viewer();
  }

  /** An operator token (failover, evacuate, pause...: what drills do). */
  public String operatorToken() {
    return secrets.operator();
  }

  /** An admin token (membership changes). */
  public String adminToken() {
    return secrets.admin();
  }

  public String zone() {
    return zoneName;
  }

  public String recordName() {
    return "app." + zoneName;
  }

  public Map<String, String> targets() {
    Map<String, String> t = new LinkedHashMap<>();
    regions.forEach(r -> t.put(r.name(), r.target()));
    return t;
  }

  public ProcessGroup processes() {
    return group;
  }

  @Override
  public void close() {
    try {
      group.close();
      if (route53 != null) {
        route53.close();
      }
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }
}
