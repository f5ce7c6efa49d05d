package io.pharos.cli.operator;

import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The region a command acts on and the operator's reason, posted to {@code /v1/regions/R/<action>}. */
final class RegionAndReason {
  static final String WHY = "why (required; recorded on the timeline and in the audit chain)";

  @Parameters(index = "0", description = "region")
  String region;

  @Option(names = "--reason", required = true, description = WHY)
  String reason;

  int post(ControllerTarget target, String action, String done, Object... more) {
    return post(target, action, done, ControllerTarget.body(more));
  }

  int post(ControllerTarget target, String action, String done, Map<String, Object> more) {
    Map<String, Object> b = ControllerTarget.body("reason", reason);
    b.putAll(more);
    return ControllerTarget.report(target.postToLeader("/v1/regions/" + region + "/" + action, b), done);
  }
}
