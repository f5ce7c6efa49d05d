package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos resume}: ends a pause. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume automatic action.")
public final class ResumeCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Override
  public Integer call() {
    return ControllerTarget.report(target.postToLeader("/v1/automation/resume",
        ControllerTarget.body("reason", reason)), "resume");
  }
}
