package io.pharos.chaos.fault;

import io.pharos.testkit.FaultServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An endpoint that fails for {@code down}, serves for {@code up}, {@code cycles} times, then
 * serves. Bounded in count and time; reverting stops it at once and clears the fault.
 */
public final class FlappingFault extends AbstractFault {
  private final String appUrl;
  private final FaultServer.Fault fault;
  private final Duration down;
  private final Duration up;
  private final int cycles;
  private volatile Thread loop;
  private volatile int flips;

  public FlappingFault(String id, String region, String appUrl, FaultServer.Fault fault, Duration down, Duration up,
      int cycles) {
    super(id, Set.of(region));
    if (cycles < 1 || cycles > 100) {
      throw new IllegalArgumentException("cycles must be 1..100, was " + cycles);
    }
    this.appUrl = appUrl;
    this.fault = fault;
    this.down = down;
    this.up = up;
    this.cycles = cycles;
  }

  @Override
  public String kind() {
    return "flap";
  }

  @Override
  public String describe() {
    return "flap " + appUrl + " " + cycles + " x (" + down.toMillis() + " ms failing " + fault.toJson() + ", "
        + up.toMillis() + " ms serving)";
  }

  /** Failing phases started so far. */
  public int flips() {
    return flips;
  }

  /** Total time the flapping takes. */
  public Duration duration() {
    return down.plus(up).multipliedBy(cycles);
  }

  @Override
  protected void doInject() {
    Thread t = new Thread(this::flap, "flap-" + id());
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  private void flap() {
    try {
      for (int i = 0; i < cycles && !Thread.currentThread().isInterrupted(); i++) {
        EndpointFault.put(appUrl, fault);
        flips++;
        Thread.sleep(down.toMillis());
        EndpointFault.clear(appUrl);
        Thread.sleep(up.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(FlappingFault.class).warn("flapping {} stopped: {}", appUrl, e.getMessage());
    }
  }

  @Override
  protected void doRevert() {
    Thread t = loop;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    EndpointFault.clear(appUrl);
  }

  @Override
  public List<RevertSpec> watchdogReverts() {
    return List.of(RevertSpec.http("DELETE", appUrl + "/_fault"));
  }
}
