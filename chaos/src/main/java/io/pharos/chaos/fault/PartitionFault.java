package io.pharos.chaos.fault;

import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.net.PartitionInjector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A network partition between two sets of sandbox processes (namespace nodes). */
public final class PartitionFault extends AbstractFault {
  private final PartitionInjector injector;
  private final NetnsNetwork.Descriptor network;
  private final Set<String> sideA;
  private final Set<String> sideB;
  private volatile PartitionInjector.Cut cut;

  /**
   * @param regions the regions of side A (the side that is cut off: the blast radius)
   */
  public PartitionFault(String id, Set<String> regions, PartitionInjector injector, NetnsNetwork.Descriptor network,
      Set<String> sideA, Set<String> sideB) {
    super(id, regions);
    this.injector = injector;
    this.network = network;
    this.sideA = Set.copyOf(sideA);
    this.sideB = Set.copyOf(sideB);
  }

  @Override
  public String kind() {
    return "partition";
  }

  @Override
  public String describe() {
    return "partition " + new java.util.TreeSet<>(sideA) + " <-/-> " + new java.util.TreeSet<>(sideB)
        + " (iptables DROP, tag " + injector.tagPrefix() + "…)";
  }

  @Override
  protected void doInject() {
    cut = injector.partition(sideA, sideB);
  }

  @Override
  protected void doRevert() {
    injector.heal(cut);
  }

  /** Every namespace of the network, by the run's tag: also covers a cut whose id was never recorded. */
  @Override
  public List<RevertSpec> watchdogReverts() {
    List<RevertSpec> out = new ArrayList<>();
    for (NetnsNetwork.Node n : network.nodes()) {
      if (sideA.contains(n.name())) {
        out.add(RevertSpec.iptables(n.namespace(), injector.tagPrefix()));
      }
    }
    return out;
  }
}
