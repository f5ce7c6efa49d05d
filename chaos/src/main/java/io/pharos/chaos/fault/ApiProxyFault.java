package io.pharos.chaos.fault;

import io.pharos.testkit.proxy.ApiFault;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.util.List;
import java.util.Set;

/** DNS provider faults — throttling, 5xx, slow calls — through an {@link HttpChaosProxy} in front of its API. */
public final class ApiProxyFault extends AbstractFault {
  private final HttpChaosProxy proxy;
  private final ApiFault fault;

  public ApiProxyFault(String id, HttpChaosProxy proxy, ApiFault fault) {
    super(id, Set.of());
    this.proxy = proxy;
    this.fault = fault;
  }

  @Override
  public String kind() {
    return "dns-provider";
  }

  @Override
  public String describe() {
    return "provider API proxy " + proxy.url() + ": " + fault;
  }

  @Override
  protected void doInject() {
    proxy.set(fault);
  }

  @Override
  protected void doRevert() {
    proxy.clear();
  }

  /** The proxy lives in the runner: gone with it. */
  @Override
  public List<RevertSpec> watchdogReverts() {
    return List.of();
  }
}
