package io.pharos.cli.operator;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos readonly on|off <region>}: a region's read-only mode, set by an operator. */
@Command(name = "readonly", mixinStandardHelpOptions = true,
    description = {"Turn a region's read-only mode on or off (published to its applications with a new fencing token).",
        "The write primary becomes read-write only by `pharos promote`, which checks the replication lag."})
public final class ReadonlyCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Parameters(index = "0", paramLabel = "on|off", description = "on: read-only; off: read-write")
  String onOff;

  @Parameters(index = "1", description = "region")
  String region;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Override
  public Integer call() {
    String v = onOff.toLowerCase(Locale.ROOT);
    if (!v.equals("on") && !v.equals("off")) {
      System.err.println("say 'on' or 'off', not '" + onOff + "' (pharos readonly on|off <region> --reason ...)");
      return 2;
    }
    boolean on = v.equals("on");
    return ControllerTarget.report(target.postToLeader("/v1/regions/" + region + "/readonly",
        ControllerTarget.body("reason", reason, "on", on)), "read-only " + v + " for " + region);
  }
}
