package io.pharos.cli.operator;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pharos resume}: ends a pause. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume automatic action.")
public final class ResumeCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Override
  public Integer call() {
    return ControllerTarget.report(target.postToLeader("/v1/automation/resume",
        ControllerTarget.body("by", target.by())), "resume");
  }
}
