package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos abort}: gives up the decision in progress. */
@Command(name = "abort", mixinStandardHelpOptions = true,
    description = "Give up the decision in progress (e.g. a DNS change the provider keeps refusing), or abort an"
        + " evacuation by its id (ev-...).")
public final class AbortCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Parameters(index = "0", description = "decision id (see `pharos status` or the timeline)")
  String decisionId;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Override
  public Integer call() {
    return ControllerTarget.report(target.postToLeader("/v1/decisions/" + decisionId + "/abort",
        ControllerTarget.body("by", target.by(), "reason", reason)), "abort " + decisionId);
  }
}
