package io.pharos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.Pbkdf2;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * Pharos regions as containers of the image on one Docker network: per region an app ({@code pharos app}), a
 * controller and an agent, reached by network aliases ({@code app-a}, {@code c1}, {@code agent-a}); Raft over
 * mutual TLS with certificates for those names (testkit TestPki); every container non-root on a read-only root
 * filesystem with /tmp a tmpfs and a controller's /data a host directory that outlives its container. Secrets
 * are throwaway test values written under the run directory. Containers are named {@code <prefix>-<alias>}.
 */
final class ContainerRegions implements AutoCloseable {
  static final int API = 8600;
  static final int AGENT = 9470;
  static final int APP = 8080;

  private final PharosImage image;
  private final Path dir;
  private final List<String> regions;
  private final int endpointsPerRegion;
  private final List<String> withControllers;
  private final String prefix = "pharos-e2e-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffff);
  private final String subnet;
  private final Network network;
  private final String viewerToken;
  private final Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();

  /**
   * @param regions region names; region i runs controller c(i+1)
   * @param endpointsPerRegion endpoints probed per region (all on that region's app)
   */
  ContainerRegions(PharosImage image, Path dir, List<String> regions, int endpointsPerRegion) {
    this(image, dir, regions, endpointsPerRegion, regions);
  }

  /** As above, with a controller and an agent only in {@code withControllers} (the others: only their app). */
  ContainerRegions(PharosImage image, Path dir, List<String> regions, int endpointsPerRegion,
      List<String> withControllers) {
    this.image = image;
    this.dir = dir;
    this.regions = List.copyOf(regions);
    this.endpointsPerRegion = endpointsPerRegion;
    this.withControllers = List.copyOf(withControllers);
    int third = 16 + ThreadLocalRandom.current().nextInt(200);
    this.subnet = "10.213." + third + ".0/24";
    this.network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(prefix)
        .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
            new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(subnet)))).build();
    this.viewerToken = writeSecretsAndConfig();
  }

  String controllerId(String region) {
    return "c" + (regions.indexOf(region) + 1);
  }

  private String ip(int host) {
    return subnet.substring(0, subnet.lastIndexOf('.') + 1) + host;
  }

  private String controllerIp(String region) {
    return ip(11 + regions.indexOf(region));
  }

  /** Writes the config, the PKI and the tokens (files the containers' user may read). Returns a viewer token. */
  private String writeSecretsAndConfig() {
    try {
      Path etc = Files.createDirectories(dir.resolve("etc"));
      Path tls = Files.createDirectories(etc.resolve("tls"));
      TestPki.Authority ca = TestPki.authority("pharos-containers-ca (test-only)");
      ca.writeCertificate(tls.resolve("ca.crt"));
      for (String r : withControllers) {
        String id = controllerId(r);
        ca.issue(id, id).write(tls, id);
      }
      SecureRandom random = new SecureRandom();
      TokenFile.Issued viewer = TokenFile.issue("e2e-viewer", Role.VIEWER, 6_000, Pbkdf2.MIN_ITERATIONS, random);
      Files.write(etc.resolve("api-tokens"), List.of("# throwaway token of this test (test-only)", viewer.line()));
      KeyPair keys = Ed25519.generate();
      Files.writeString(etc.resolve("controller-key.pem"), Ed25519.pem(keys.getPrivate()));
      Files.writeString(etc.resolve("pharos.yaml"), config(Ed25519.base64(keys.getPublic())));
      // the containers run as uid 10001: test-only files, readable by it
      try (var files = Files.walk(etc)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
              : "rw-r--r--"));
        }
      }
      Files.createDirectories(dir.resolve("logs"));
      return viewer.token();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String config(String publicKey) {
    StringBuilder y = new StringBuilder("# generated by ContainerRegions (test-only secrets)\nenvironment: containers\n");
    y.append("regions:\n");
    for (String r : regions) {
      y.append("  - name: ").append(r).append("\n    endpoints:\n");
      for (int i = 0; i < endpointsPerRegion; i++) {
        y.append("      - { id: app").append(i == 0 ? "" : Integer.toString(i)).append(", url: \"http://app-").append(r)
            .append(':').append(APP).append("/healthz").append(i == 0 ? "" : "?n=" + i)
            .append("\", expect: { status: 200, body: ok } }\n");
      }
    }
    y.append("dns:\n  provider: embedded\n  zone: example.test\n  records:\n    - name: app.example.test\n")
        .append("      type: A\n      ttl: 5\n      targets: {");
    for (int i = 0; i < regions.size(); i++) {
      y.append(i == 0 ? " " : ", ").append(regions.get(i)).append(": [\"192.0.2.").append(10 + i).append("\"]");
    }
    y.append(" }\n  server: { rateLimit: { exempt: [\"").append(subnet).append("\"] } }\n");
    y.append("controllers:\n  group: pharos-e2e\n  storageDir: /data\n")
        .append("  tls: { certFile: \"/etc/pharos/tls/{id}.crt\", keyFile: \"/etc/pharos/tls/{id}.key\",")
        .append(" caFile: /etc/pharos/tls/ca.crt }\n  peers:\n");
    for (String r : withControllers) {
      String id = controllerId(r);
      y.append("    - { id: ").append(id).append(", region: ").append(r).append(", raft: \"").append(id)
          .append(":7600\", hazelcast: \"").append(id).append(":5701\", api: \"").append(id).append(':').append(API)
          .append("\", dns: \"0.0.0.0:5353\", dnsAdvertise: \"").append(controllerIp(r)).append(":5353\" }\n");
    }
    y.append("probes: ").append(LocalSandbox.DEFAULT_PROBES).append('\n');
    y.append("policy: { mode: auto, cooldown: 1s, startupGrace: 5s, recoverAfter: 10s,")
        .append(" maxAutoFailovers: { count: 5, per: 1h } }\n");
    y.append("api:\n  tokensFile: /etc/pharos/api-tokens\n");
    y.append("security:\n  controllerKeyFile: /etc/pharos/controller-key.pem\n  controllerPublicKey: ")
        .append(publicKey).append('\n');
    return y.toString();
  }

  /** Starts every region's app and controller, then the agents; waits until each answers /health. */
  ContainerRegions start() {
    try {
      startAll();
      return this;
    } catch (RuntimeException | Error e) {
      close(); // nothing outlives a failed start (no Ryuk here to reap containers)
      throw e;
    }
  }

  private void startAll() {
    List<GenericContainer<?>> first = new ArrayList<>();
    for (String r : regions) {
      first.add(add(app(r)));
    }
    for (String r : withControllers) {
      first.add(add(controller(r)));
    }
    Startables.deepStart(first).join();
    // the agents once the controllers have a leader, one after the other: on a machine as loaded as CI's, nine
    // JVMs starting at once starve each other past the agent's own start-up deadline (60 s)
    ContainerFailoverIT.await(Duration.ofMinutes(6), "every controller naming a leader", this::leadersKnown);
    for (String r : withControllers) {
      add(agent(r)).start();
    }
  }

  private GenericContainer<?> add(GenericContainer<?> c) {
    containers.put(c.getNetworkAliases().get(c.getNetworkAliases().size() - 1), c);
    return c;
  }

  private GenericContainer<?> base(String alias, String ip) {
    GenericContainer<?> c = new GenericContainer<>(image.tag())
        .withImagePullPolicy(name -> false) // nothing is pulled: the image is built here
        .withNetwork(network)
        .withNetworkAliases(alias)
        .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,size=64m")) // exec: Netty loads its native TLS library from /tmp
        .withLogConsumer(toFile(dir.resolve("logs").resolve(alias + ".log")))
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withName(prefix + "-" + alias);
          cmd.getHostConfig().withReadonlyRootfs(true);
          if (ip != null) {
            cmd.withIpv4Address(ip);
          }
        });
    return c;
  }

  GenericContainer<?> app(String region) {
    // a test fixture, not Pharos: its JIT kept small so the machine's cores go to what is under test
    return base("app-" + region, null).withEnv("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1")
        .withCommand("app", "--listen", "0.0.0.0:" + APP, "--region", region)
        .withExposedPorts(APP).waitingFor(Wait.forHttp("/healthz").forPort(APP)
            .withStartupTimeout(Duration.ofMinutes(3)));
  }

  GenericContainer<?> controller(String region) {
    String id = controllerId(region);
    Path data = dir.resolve("data-" + id);
    try {
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return base(id, controllerIp(region))
        .withEnv("PHAROS_MASTER_SECRET", TestConfigs.TEST_MASTER_SECRET)
        .withEnv("JAVA_OPTS", "-Xmx256m")
        .withFileSystemBind(dir.resolve("etc").toString(), "/etc/pharos", BindMode.READ_ONLY)
        .withFileSystemBind(data.toString(), "/data", BindMode.READ_WRITE)
        .withCommand("controller", "--config", "/etc/pharos/pharos.yaml", "--id", id, "--data-dir", "/data",
            "--bind", "0.0.0.0")
        .withExposedPorts(API)
        .waitingFor(Wait.forHttp("/health").forPort(API).withStartupTimeout(Duration.ofMinutes(8)));
  }

  GenericContainer<?> agent(String region) {
    return base("agent-" + region, null)
        .withEnv("PHAROS_REGION_KEY", TestConfigs.MASTER.regionKey(region, 1).format())
        .withFileSystemBind(dir.resolve("etc/pharos.yaml").toString(), "/etc/pharos/pharos.yaml", BindMode.READ_ONLY)
        .withCommand("agent", "--config", "/etc/pharos/pharos.yaml", "--region", region, "--id", "agent-" + region,
            "--listen", "0.0.0.0:" + AGENT)
        .withExposedPorts(AGENT)
        .waitingFor(Wait.forHttp("/health").forPort(AGENT).withStartupTimeout(Duration.ofMinutes(3)));
  }

  GenericContainer<?> container(String alias) {
    GenericContainer<?> c = containers.get(alias);
    if (c == null) {
      throw new IllegalArgumentException("no container " + alias + " (have " + containers.keySet() + ")");
    }
    return c;
  }

  /** Stops and removes a controller's container (its /data stays) and starts a new one on the same volume. */
  GenericContainer<?> replaceController(String region) {
    String id = controllerId(region);
    container(id).stop();
    GenericContainer<?> c = controller(region);
    containers.put(id, c);
    c.start();
    return c;
  }

  static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  /** A controller's /v1/status, if it answers. */
  Optional<JsonNode> status(String region) {
    GenericContainer<?> c = container(controllerId(region));
    if (!c.isRunning()) {
      return Optional.empty();
    }
    return Http.get("http://" + c.getHost() + ":" + c.getMappedPort(API) + "/v1/status", viewerToken)
        .filter(r -> r.status() == 200).map(Http.Response::json);
  }

  /** The status of the controller that is the acting leader now, as one of {@code among} sees it. */
  Optional<JsonNode> leaderStatus(List<String> among) {
    for (String r : among) {
      Optional<JsonNode> s = status(r);
      if (s.isPresent() && "LEADER".equals(s.get().path("role").asText())) {
        return s;
      }
    }
    return Optional.empty();
  }

  /** Every controller names a leader. */
  boolean leadersKnown() {
    return withControllers.stream().allMatch(r -> status(r).map(x -> !x.path("leader").asText("").isEmpty())
        .orElse(false));
  }

  /** Every controller names a leader, is past its start-up grace and sees every region HEALTHY. */
  boolean allHealthy() {
    for (GenericContainer<?> c : containers.values()) {
      if (!c.isRunning()) {
        String log = c.getLogs();
        throw new AssertionError("container " + c.getNetworkAliases() + " has stopped; its log ends:\n"
            + log.substring(Math.max(0, log.length() - 3000)));
      }
    }
    for (String r : withControllers) {
      Optional<JsonNode> s = status(r);
      if (s.isEmpty() || s.get().path("leader").asText("").isEmpty() || s.get().path("graceRemainingMs").asLong() > 0) {
        return false;
      }
      for (String other : regions) {
        if (!"HEALTHY".equals(s.get().path("regions").path(other).path("state").asText())) {
          return false;
        }
      }
    }
    return true;
  }

  /** VmRSS of a container's main process (PID 1 is the JVM: the entrypoint execs it), in kB. */
  long rssKb(String alias) {
    try {
      var r = container(alias).execInContainer("cat", "/proc/1/status");
      return r.getStdout().lines().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
          .orElseThrow(() -> new IllegalStateException("no VmRSS in /proc/1/status of " + alias));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Path dir() {
    return dir;
  }

  private static Consumer<OutputFrame> toFile(Path file) {
    return frame -> {
      try {
        Files.writeString(file, frame.getUtf8String(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        // the log is for diagnosis only
      }
    };
  }

  @Override
  public void close() {
    for (GenericContainer<?> c : containers.values()) {
      try {
        if (c.getContainerId() != null) {
          docker().unpauseContainerCmd(c.getContainerId()).exec();
        }
      } catch (RuntimeException notPaused) {
        // only paused containers unpause
      }
      try {
        c.stop();
      } catch (RuntimeException e) {
        // stop the others anyway
      }
    }
    network.close();
  }
}
