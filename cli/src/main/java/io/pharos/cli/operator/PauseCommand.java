package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos pause}: maintenance, decisions made and alerted but not executed. */
@Command(name = "pause", mixinStandardHelpOptions = true,
    description = "Pause automatic action (maintenance): decisions are still made and alerted, not executed.")
public final class PauseCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Option(names = "--minutes", defaultValue = "0", description = "resume by itself after this long (0: never)")
  long minutes;

  @Override
  public Integer call() {
    long until = minutes > 0 ? System.currentTimeMillis() + minutes * 60_000 : 0;
    return ControllerTarget.report(target.postToLeader("/v1/automation/pause",
        ControllerTarget.body("reason", reason, "until", until)), "pause");
  }
}
