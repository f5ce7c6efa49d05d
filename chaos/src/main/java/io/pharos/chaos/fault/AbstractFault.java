package io.pharos.chaos.fault;

import java.util.Set;

/** Idempotent inject/revert around {@link #doInject()} and {@link #doRevert()}. */
public abstract class AbstractFault implements Fault {
  private final String id;
  private final Set<String> regions;
  private boolean injected;

  protected AbstractFault(String id, Set<String> regions) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a fault needs an id");
    }
    this.id = id;
    this.regions = Set.copyOf(regions);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<String> regions() {
    return regions;
  }

  @Override
  public final synchronized void inject() {
    if (!injected) {
      doInject();
      injected = true;
    }
  }

  @Override
  public final synchronized void revert() {
    if (injected) {
      doRevert();
      injected = false;
    }
  }

  @Override
  public synchronized boolean injected() {
    return injected;
  }

  protected abstract void doInject();

  protected abstract void doRevert();

  @Override
  public String toString() {
    return id + ": " + describe();
  }
}
