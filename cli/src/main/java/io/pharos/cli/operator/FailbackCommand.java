package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos failback}: brings a failed-over region back. */
@Command(name = "failback", mixinStandardHelpOptions = true,
    description = "Bring a failed-over region back (its weight and read-write mode).")
public final class FailbackCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Mixin
  RegionAndReason on;

  @Option(names = "--force", description = "even if the region has not been stable for the stabilisation window")
  boolean force;

  @Override
  public Integer call() {
    return on.post(target, "failback", "failback " + on.region, "force", force);
  }
}
