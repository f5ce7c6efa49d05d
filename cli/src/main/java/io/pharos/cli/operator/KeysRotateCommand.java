package io.pharos.cli.operator;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pharos keys rotate --region R --reason "..." [--grace 24h]}: the acting leader journals
 * region R's next report key generation (admin token in {@code PHAROS_TOKEN}). From then on the controllers accept the new
 * generation, and the previous one for the grace; other regions are untouched.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = "Rotate a region's report key: the controllers accept the next generation at once and the current"
        + " one for the grace (default security.previousKeyGrace; 0s after a leak).")
public final class KeysRotateCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Option(names = "--region", required = true, description = "the region whose key rotates")
  String region;

  @Option(names = "--reason", required = true, description = RegionAndReason.WHY)
  String reason;

  @Option(names = "--grace", description = "how long the current key stays accepted, e.g. 24h, 0s")
  String grace;

  @Override
  public Integer call() {
    Map<String, Object> body = ControllerTarget.body("reason", reason);
    if (grace != null) {
      body.put("grace", grace);
    }
    ControllerTarget.Answer a = target.postToLeader("/v1/keys/" + region + "/rotate", body);
    int code = ControllerTarget.report(a, "key rotation of region " + region);
    if (code == 0) {
      System.out.println("region " + region + "'s report key is now generation " + a.body().path("generation").asInt()
          + "; the previous one is accepted until " + a.body().path("previousValidUntil").asText() + ".");
      System.out.println("Give " + region + "'s agents the new key (PHAROS_REGION_KEY) and restart them: "
          + a.body().path("derive").asText());
    }
    return code;
  }
}
