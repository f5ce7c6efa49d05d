package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos promote <region>}: makes a region the write primary (admin). */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Make a region the write primary: read-write, the previous primary read-only.",
        "Refused while the replication lag (policy.replicationLagSource) exceeds the RPO (policy.rpo) unless --force."})
public final class PromoteCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Mixin
  RegionAndReason on;

  @Option(names = "--force", description = "even if the replication lag exceeds the RPO or cannot be read")
  boolean force;

  @Override
  public Integer call() {
    return on.post(target, "promote", "promoted " + on.region + " to write primary", "force", force);
  }
}
