package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The region loss of the soak, on its own thread: kill an app at {@code at}, measure, restart, await failback. */
final class SoakRegionLoss extends Thread {
  private final PrintStream out;
  private final LocalSandbox sandbox;
  private final long at;
  private final ObjectNode result = new ObjectMapper().createObjectNode();
  private volatile boolean busy;

  SoakRegionLoss(PrintStream out, LocalSandbox sandbox, long at) {
    super("fleet-region-loss");
    this.out = out;
    setDaemon(true);
    this.sandbox = sandbox;
    this.at = at;
  }

  boolean busy() {
    return busy;
  }

  @Override
  public void run() {
    try {
      BenchTable.pause(Math.max(0, at - System.currentTimeMillis() - 5000));
      busy = true; // no forced GC from just before the fault until the failback
      BenchTable.pause(Math.max(0, at - System.currentTimeMillis()));
      SandboxRegion leader = sandbox.leader().orElseThrow(() -> new IllegalStateException("no leader"));
      SandboxRegion target = sandbox.regions().stream().filter(r -> r != leader).findFirst().orElseThrow();
      long t0 = System.currentTimeMillis();
      target.app().kill();
      long[] times = RegionCutBench.failover(sandbox, target, t0);
      result.put("region", target.name()).put("detectedMs", times[0]).put("dnsCommittedMs", times[1]);
      out.printf("region loss (%s app killed, leader elsewhere): detected %s, DNS committed %s%n", target.name(),
          BenchTable.ms(times[0]), BenchTable.ms(times[1]));
      sandbox.startApp(target);
      long back = System.currentTimeMillis();
      FleetBench.settle(sandbox, Duration.ofSeconds(180));
      result.put("failedBackAfterRestartMs", System.currentTimeMillis() - back);
    } catch (RuntimeException e) {
      result.put("error", String.valueOf(e.getMessage()));
    } finally {
      busy = false;
    }
  }

  ObjectNode finish() {
    try {
      join(TimeUnit.MINUTES.toMillis(4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (isAlive()) {
      result.put("error", "the region loss did not finish (failback not seen)");
    }
    return result;
  }
}
