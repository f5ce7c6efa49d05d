package io.pharos.testkit.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private test network on this machine: one network namespace per node (a process of the
 * sandbox), each with its own address on a /24 of 10.77.0.0/16, joined by veth pairs to a bridge
 * in the root namespace that holds the first address ({@code .1}, where the test or drill runner
 * reaches every node). Nodes get no default route, so nothing in them can reach anything but the
 * subnet. Everything it creates is named after a random id and recorded in a state file under
 * {@code /run/pharos-net}, so {@link #teardown(Descriptor)} — from this JVM, its shutdown hook, a
 * watchdog, or the next network created after a crash — removes exactly it.
 */
public final class NetnsNetwork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsNetwork.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final Path STATE_DIR = Path.of("/run/pharos-net");
  public static final String NS_PREFIX = "phx";

  /** One namespace: its node name, namespace, host-side veth and address. */
  public record Node(String name, String namespace, String veth, String address) {}

  /** Everything needed to find and remove the network again, from any process. */
  public record Descriptor(String id, long ownerPid, String subnet, String bridge, String gateway, List<Node> nodes) {
    public String forwardTag() {
      return "pharos-net:" + id + ":";
    }

    public Optional<Node> node(String name) {
      return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
  }

  private final Descriptor descriptor;
  private final Thread hook;
  private volatile boolean closed;

  private NetnsNetwork(Descriptor d) {
    this.descriptor = d;
    this.hook = new Thread(() -> teardown(d), "netns-teardown-" + d.id());
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether this machine can make one: root, iproute2 and iptables installed. */
  public static Optional<String> unavailableReason() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
    }
    for (String tool : List.of("ip", "iptables", "iptables-restore")) {
      if (!Cmd.exists(tool)) {
        return Optional.of(tool + " is not installed (apt-get install iproute2 iptables)");
      }
    }
    return Optional.empty();
  }

  /** Creates the bridge and one namespace per node name (names: lower-case letters, digits, '-'). */
  public static synchronized NetnsNetwork create(List<String> nodeNames) {
    unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("cannot create a namespace network: " + r);
    });
    if (nodeNames.isEmpty() || nodeNames.size() > 250) {
      throw new IllegalArgumentException("a network has 1..250 nodes, was " + nodeNames.size());
    }
    removeStale();
    String id = randomId();
    String subnet = freeSubnet();
    String bridge = "phb" + id;
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < nodeNames.size(); i++) {
      String name = nodeNames.get(i);
      if (!name.matches("[a-z0-9][a-z0-9-]{0,40}")) {
        throw new IllegalArgumentException("bad node name '" + name + "'");
      }
      nodes.add(new Node(name, NS_PREFIX + id + "-" + name, "phv" + id + String.format("%02x", i),
          subnet + "." + (i + 2)));
    }
    Descriptor d = new Descriptor(id, ProcessHandle.current().pid(), subnet, bridge, subnet + ".1", List.copyOf(nodes));
    writeState(d);
    NetnsNetwork net = new NetnsNetwork(d);
    try {
      build(d);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    return net;
  }

  private static void build(Descriptor d) {
    ip("link", "add", d.bridge(), "type", "bridge");
    ip("addr", "add", d.gateway() + "/24", "dev", d.bridge());
    ip("link", "set", d.bridge(), "up");
    // if the root FORWARD policy is DROP (a Docker host), bridged traffic between nodes still flows
    Iptables.add(null, d.forwardTag() + "fwd", List.of(new Iptables.Rule("FORWARD", "-i " + d.bridge() + " -o "
        + d.bridge(), "ACCEPT")));
    // after the bridge is gone, nothing addressed to the subnet may leave the machine
    Cmd.run(List.of("ip", "route", "add", "blackhole", d.subnet() + ".0/24", "metric", "4000"));
    for (Node n : d.nodes()) {
      ip("netns", "add", n.namespace());
      ip("link", "add", n.veth(), "type", "veth", "peer", "name", "eth0", "netns", n.namespace());
      ip("link", "set", n.veth(), "master", d.bridge(), "up");
      ip("-n", n.namespace(), "addr", "add", n.address() + "/24", "dev", "eth0");
      ip("-n", n.namespace(), "link", "set", "eth0", "up");
      ip("-n", n.namespace(), "link", "set", "lo", "up");
    }
  }

  public Descriptor descriptor() {
    return descriptor;
  }

  public String id() {
    return descriptor.id();
  }

  /** The root namespace's address on the network (servers of the runner listen here). */
  public String gateway() {
    return descriptor.gateway();
  }

  public Set<String> nodes() {
    Set<String> s = new TreeSet<>();
    descriptor.nodes().forEach(n -> s.add(n.name()));
    return s;
  }

  public Node node(String name) {
    return descriptor.node(name).orElseThrow(() -> new IllegalArgumentException("no node '" + name
        + "' in network " + descriptor.id() + "; nodes: " + nodes()));
  }

  public String address(String node) {
    return node(node).address();
  }

  public String namespace(String node) {
    return node(node).namespace();
  }

  /** {@code command} prefixed to run inside the node's namespace ({@code ip netns exec} execs it: same pid). */
  public List<String> exec(String node, List<String> command) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
    c.addAll(command);
    return c;
  }

  /** Writes the descriptor as JSON (for a watchdog or another process that attaches). */
  public static String toJson(Descriptor d) {
    try {
      return MAPPER.writeValueAsString(d);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Descriptor fromJson(String json) {
    try {
      return MAPPER.readValue(json, Descriptor.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a network descriptor: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    teardown(descriptor);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs already
    }
  }

  /**
   * Removes the network: every process left in its namespaces (resumed, then killed), the
   * namespaces, veths, bridge, its FORWARD rule, route and state file. Idempotent; best effort,
   * each failure logged.
   */
  public static void teardown(Descriptor d) {
    for (Node n : d.nodes()) {
      Cmd.Result pids = Cmd.run(List.of("ip", "netns", "pids", n.namespace()));
      if (pids.ok()) {
        for (String pid : pids.out().split("\\s+")) {
          if (pid.matches("\\d+")) {
            Cmd.run(List.of("kill", "-CONT", pid));
            Cmd.run(List.of("kill", "-KILL", pid));
          }
        }
      }
      quiet("ip", "netns", "del", n.namespace());
      quiet("ip", "link", "del", n.veth());
    }
    quiet("ip", "link", "del", d.bridge());
    Iptables.delete(null, d.forwardTag());
    quiet("ip", "route", "del", "blackhole", d.subnet() + ".0/24", "metric", "4000");
    try {
      Files.deleteIfExists(STATE_DIR.resolve(d.id() + ".json"));
    } catch (IOException e) {
      LOG.warn("cannot delete the state file of network {}: {}", d.id(), e.toString());
    }
  }

  /** Tears down every network whose owner process is gone (left behind by a crash). */
  public static void removeStale() {
    for (Descriptor d : recorded()) {
      if (ProcessHandle.of(d.ownerPid()).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      LOG.warn("removing network {} left behind by dead process {}", d.id(), d.ownerPid());
      teardown(d);
    }
  }

  /** Networks with a state file on this machine. */
  public static List<Descriptor> recorded() {
    List<Descriptor> out = new ArrayList<>();
    if (!Files.isDirectory(STATE_DIR)) {
      return out;
    }
    try (var files = Files.list(STATE_DIR)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        try {
          out.add(fromJson(Files.readString(p)));
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn("unreadable network state {}: {}", p, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", STATE_DIR, e.toString());
    }
    return out;
  }

  private static String freeSubnet() {
    Set<String> used = new TreeSet<>();
    recorded().forEach(d -> used.add(d.subnet()));
    String routes = Cmd.run(List.of("ip", "-4", "route", "show", "table", "all")).out();
    for (int x = 0; x < 256; x++) {
      String s = "10.77." + x;
      if (!used.contains(s) && !routes.contains(s + ".")) {
        return s;
      }
    }
    throw new IllegalStateException("no free /24 left in 10.77.0.0/16");
  }

  private static String randomId() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void writeState(Descriptor d) {
    try {
      Files.createDirectories(STATE_DIR);
      Files.writeString(STATE_DIR.resolve(d.id() + ".json"), toJson(d));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + STATE_DIR + ": " + e.getMessage(), e);
    }
  }

  private static void ip(String... args) {
    List<String> c = new ArrayList<>(List.of("ip"));
    c.addAll(List.of(args));
    Cmd.run(c).orThrow();
  }

  private static void quiet(String... args) {
    Cmd.run(List.of(args));
  }

  /** A short summary for logs. */
  public static Map<String, String> addresses(Descriptor d) {
    Map<String, String> m = new LinkedHashMap<>();
    d.nodes().forEach(n -> m.put(n.name(), n.address()));
    return m;
  }
}
