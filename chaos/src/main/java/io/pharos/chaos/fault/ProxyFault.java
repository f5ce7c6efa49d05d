package io.pharos.chaos.fault;

import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.proxy.Toxics;
import java.util.List;
import java.util.Set;

/** Latency, jitter, a bandwidth limit, resets or a blackhole on a {@link TcpChaosProxy}. */
public final class ProxyFault extends AbstractFault {
  private final String name;
  private final TcpChaosProxy proxy;
  private final Toxics toxics;

  public ProxyFault(String id, Set<String> regions, String name, TcpChaosProxy proxy, Toxics toxics) {
    super(id, regions);
    this.name = name;
    this.proxy = proxy;
    this.toxics = toxics;
  }

  @Override
  public String kind() {
    return "proxy";
  }

  @Override
  public String describe() {
    return "proxy " + name + " (" + proxy.address() + " -> " + proxy.upstream() + "): " + toxics;
  }

  @Override
  protected void doInject() {
    proxy.set(toxics);
  }

  @Override
  protected void doRevert() {
    proxy.clear();
  }

  /** The proxy lives in the runner: it is gone with it, and its clients see the path closed. */
  @Override
  public List<RevertSpec> watchdogReverts() {
    return List.of();
  }
}
