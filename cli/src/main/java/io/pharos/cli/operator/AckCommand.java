package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos ack}: acknowledges a stop named in an alert. */
@Command(name = "ack", mixinStandardHelpOptions = true,
    description = "Acknowledge a stop named in an alert, e.g. `pharos ack failover-limit`, re-enabling automation.")
public final class AckCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Parameters(index = "0", description = "what to acknowledge (failover-limit)")
  String what;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Override
  public Integer call() {
    return ControllerTarget.report(target.postToLeader("/v1/ack", ControllerTarget.body("what", what, "reason",
        reason)), "ack " + what);
  }
}
