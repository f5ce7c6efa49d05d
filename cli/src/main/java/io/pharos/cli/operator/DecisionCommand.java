package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** An operator's answer about one decision: {@code POST /v1/decisions/<id>/<action>} with who and why. */
abstract class DecisionCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Parameters(index = "0", description = "decision id (see `pharos status` or the timeline)")
  String decisionId;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  /** The last path segment: abort, approve or reject. */
  abstract String action();

  @Override
  public Integer call() {
    return ControllerTarget.report(target.postToLeader("/v1/decisions/" + decisionId + "/" + action(),
        ControllerTarget.body("reason", reason)), action() + " " + decisionId);
  }
}
