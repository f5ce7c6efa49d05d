package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pharos failover}: a failover by hand. */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Move traffic away from a region and set it read-only, by hand.")
public final class FailoverCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Mixin
  RegionAndReason on;

  @Override
  public Integer call() {
    return on.post(target, "failover", "failover " + on.region);
  }
}
