package io.pharos.testkit.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network partitions between nodes of a {@link NetnsNetwork}: iptables DROP rules inside the
 * namespaces of one side, tagged {@code pharos:<run>:<cut>}, removed again by {@link #heal}. A
 * dropped packet is a real partition: connections hang and time out, nothing is refused.
 *
 * <p>Rules go on side A only: for every node a in A and b in B, a's OUTPUT drops packets to b and
 * a's INPUT drops packets from b, which cuts both directions. A one-way cut ({@link #block})
 * drops only what A sends to B (TCP then fails both ways, UDP one way — as a Jepsen nemesis does).
 */
public final class PartitionInjector {
  private final NetnsNetwork.Descriptor net;
  private final String runTag;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Cut> active = new LinkedHashMap<>();

  /** One partition: its id, the tag of its rules and the namespaces that hold them. */
  public record Cut(String id, String tag, Set<String> sideA, Set<String> sideB, boolean bothWays,
      List<String> namespaces) {
    @Override
    public String toString() {
      return sideA + (bothWays ? " <-/-> " : " --/-> ") + sideB;
    }
  }

  /**
   * @param runTag names the run in every rule's comment ({@code [A-Za-z0-9._-]}), so a watchdog can
   *     remove every rule of a run with the prefix {@code pharos:<runTag>:}
   */
  public PartitionInjector(NetnsNetwork.Descriptor net, String runTag) {
    if (!runTag.matches("[A-Za-z0-9._-]{1,60}")) {
      throw new IllegalArgumentException("runTag must be 1..60 of [A-Za-z0-9._-], was " + runTag);
    }
    this.net = net;
    this.runTag = runTag;
  }

  /** The comment prefix of every rule this injector adds. */
  public String tagPrefix() {
    return tagPrefix(runTag);
  }

  public static String tagPrefix(String runTag) {
    return "pharos:" + runTag + ":";
  }

  /** Cuts every node of A from every node of B, both ways. */
  public synchronized Cut partition(Set<String> sideA, Set<String> sideB) {
    return add(sideA, sideB, true);
  }

  /** Drops what A's nodes send to B's nodes (one way). */
  public synchronized Cut block(Set<String> from, Set<String> to) {
    return add(from, to, false);
  }

  /** Cuts {@code node} from every other node of the network. */
  public Cut isolate(String node) {
    Set<String> others = new TreeSet<>();
    net.nodes().forEach(n -> others.add(n.name()));
    others.remove(node);
    return partition(Set.of(node), others);
  }

  private Cut add(Set<String> a, Set<String> b, boolean bothWays) {
    check(a, b);
    String id = "cut" + next.incrementAndGet();
    String tag = tagPrefix() + id;
    List<String> namespaces = new ArrayList<>();
    for (String from : new TreeSet<>(a)) {
      List<Iptables.Rule> rules = new ArrayList<>();
      for (String to : new TreeSet<>(b)) {
        String addr = node(to).address();
        rules.add(new Iptables.Rule("OUTPUT", "-d " + addr + "/32", "DROP"));
        if (bothWays) {
          rules.add(new Iptables.Rule("INPUT", "-s " + addr + "/32", "DROP"));
        }
      }
      String ns = node(from).namespace();
      Iptables.add(ns, tag, rules);
      namespaces.add(ns);
    }
    Cut c = new Cut(id, tag, Set.copyOf(a), Set.copyOf(b), bothWays, List.copyOf(namespaces));
    active.put(id, c);
    return c;
  }

  /** Removes the cut's rules. Idempotent. */
  public synchronized void heal(Cut c) {
    for (String ns : c.namespaces()) {
      Iptables.delete(ns, c.tag());
    }
    active.remove(c.id());
  }

  /** Removes every rule of this run in every namespace of the network, known or not. */
  public synchronized int healAll() {
    int n = 0;
    for (NetnsNetwork.Node node : net.nodes()) {
      n += Iptables.delete(node.namespace(), tagPrefix());
    }
    active.clear();
    return n;
  }

  public synchronized List<Cut> active() {
    return List.copyOf(active.values());
  }

  /** Rules of this run still present anywhere in the network (for tests: should be none after heal). */
  public List<String> remainingRules() {
    List<String> out = new ArrayList<>();
    for (NetnsNetwork.Node node : net.nodes()) {
      Iptables.list(node.namespace(), tagPrefix()).forEach(r -> out.add(node.name() + ": " + r));
    }
    return out;
  }

  private NetnsNetwork.Node node(String name) {
    return net.node(name).orElseThrow(() -> new IllegalArgumentException("no node '" + name + "' in the network"));
  }

  private void check(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      throw new IllegalArgumentException("both sides of a partition need at least one node");
    }
    for (String n : a) {
      if (b.contains(n)) {
        throw new IllegalArgumentException("node '" + n + "' is on both sides of the partition");
      }
      node(n);
    }
    b.forEach(this::node);
  }
}
