package io.pharos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.config.Durations;
import io.pharos.core.decision.EvacuationPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Operator commands: each is committed to the controllers' journal by the acting leader. */
final class OperatorCommands {
  private static final String WHY = "why (recorded on the timeline)";

  private OperatorCommands() {}

  /** The region a command acts on and the operator's reason, posted to {@code /v1/regions/R/<action>}. */
  static final class RegionAndReason {
    @Parameters(index = "0", description = "region")
    String region;

    @Option(names = "--reason", required = true, description = WHY)
    String reason;

    int post(ControllerTarget target, String action, String done, Object... more) {
      return post(target, action, done, body(more));
    }

    int post(ControllerTarget target, String action, String done, Map<String, Object> more) {
      Map<String, Object> b = body("by", target.by(), "reason", reason);
      b.putAll(more);
      return ControllerTarget.report(target.postToLeader("/v1/regions/" + region + "/" + action, b), done);
    }
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Command(name = "ack", mixinStandardHelpOptions = true,
      description = "Acknowledge a stop named in an alert, e.g. `pharos ack failover-limit`, re-enabling automation.")
  static final class Ack implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Parameters(index = "0", description = "what to acknowledge (failover-limit)")
    String what;

    @Override
    public Integer call() {
      return ControllerTarget.report(target.postToLeader("/v1/ack", body("what", what, "by", target.by())), "ack " + what);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause automatic action (maintenance): decisions are still made and alerted, not executed.")
  static final class Pause implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = "--reason", required = true, description = WHY)
    String reason;

    @Option(names = "--minutes", defaultValue = "0", description = "resume by itself after this long (0: never)")
    long minutes;

    @Override
    public Integer call() {
      long until = minutes > 0 ? System.currentTimeMillis() + minutes * 60_000 : 0;
      return ControllerTarget.report(target.postToLeader("/v1/automation/pause",
          body("by", target.by(), "reason", reason, "until", until)), "pause");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume automatic action.")
  static final class Resume implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Override
    public Integer call() {
      return ControllerTarget.report(target.postToLeader("/v1/automation/resume", body("by", target.by())), "resume");
    }
  }

  @Command(name = "failover", mixinStandardHelpOptions = true,
      description = "Move traffic away from a region and set it read-only, by hand.")
  static final class Failover implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Mixin
    RegionAndReason on;

    @Override
    public Integer call() {
      return on.post(target, "failover", "failover " + on.region);
    }
  }

  @Command(name = "failback", mixinStandardHelpOptions = true,
      description = "Bring a failed-over region back (its weight and read-write mode).")
  static final class Failback implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Mixin
    RegionAndReason on;

    @Option(names = "--force", description = "even if the region has not been stable for the stabilisation window")
    boolean force;

    @Override
    public Integer call() {
      return on.post(target, "failback", "failback " + on.region, "force", force);
    }
  }

  @Command(name = "evacuate", mixinStandardHelpOptions = true,
      description = {"Move traffic out of a healthy region step by step (R9): each step lowers its DNS weight to a"
          + " percentage of its configured weight, after a hold, and only while the regions taking the traffic stay"
          + " healthy (otherwise it pauses and says why). No region is fenced. Ends with the region out of traffic"
          + " until `pharos failback <region>`; `--abort` restores the weights from before it.",
          "Example: pharos evacuate us-east --steps 75,50,0 --hold 2m --reason \"kernel upgrade\""})
  static final class Evacuate implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Mixin
    RegionAndReason on;

    @Option(names = "--steps", paramLabel = "P,P,...",
        description = "percentages of the configured weight, going down and ending at 0 (default: 75,50,0)")
    String steps;

    @Option(names = "--hold", paramLabel = "DURATION",
        description = "time between one step's completion and the next, e.g. 30s, 2m (default: 2m)")
    String hold;

    @Option(names = "--abort", description = "abort the running evacuation of the region: its weights come back")
    boolean abort;

    @Override
    public Integer call() {
      if (abort) {
        if (steps != null || hold != null) {
          throw new IllegalArgumentException("--abort takes no --steps or --hold");
        }
        return on.post(target, "evacuate/abort", "abort evacuation of " + on.region);
      }
      Map<String, Object> b = new LinkedHashMap<>();
      List<Integer> parsedSteps = steps == null ? null : EvacuationPlan.parseSteps(steps);
      java.time.Duration parsedHold = null;
      if (hold != null) {
        try {
          parsedHold = Durations.parse(hold);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--hold: " + e.getMessage());
        }
      }
      EvacuationPlan plan = EvacuationPlan.of(parsedSteps, parsedHold); // a bad plan fails here, naming the field
      if (parsedSteps != null) {
        b.put("steps", plan.steps());
      }
      if (parsedHold != null) {
        b.put("hold", hold);
      }
      return on.post(target, "evacuate", "evacuate " + on.region + " (steps " + plan.steps() + " %, hold "
          + Durations.format(plan.hold()) + "; follow it in /v1/status and /v1/events)", b);
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Give up the decision in progress (e.g. a DNS change the provider keeps refusing), or abort an"
          + " evacuation by its id (ev-...).")
  static final class Abort implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Parameters(index = "0", description = "decision id (see `pharos status` or the timeline)")
    String decisionId;

    @Option(names = "--reason", required = true, description = WHY)
    String reason;

    @Override
    public Integer call() {
      return ControllerTarget.report(target.postToLeader("/v1/decisions/" + decisionId + "/abort",
          body("by", target.by(), "reason", reason)), "abort " + decisionId);
    }
  }

  @Command(name = "controllers", mixinStandardHelpOptions = true,
      description = "List the controllers: role, term, applied index, lag behind the leader, last contact;"
          + " or change the Raft members (--set-members) to replace a lost controller.")
  static final class Controllers implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = "--set-members", split = ",", paramLabel = "id=host:port",
        description = "the complete new member list (Raft addresses), e.g. c1=10.0.1.5:7600,c2=...,c4=...")
    List<String> setMembers;

    @Override
    public Integer call() {
      if (setMembers != null) {
        List<Map<String, Object>> members = new java.util.ArrayList<>();
        for (String m : setMembers) {
          String[] kv = m.split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("--set-members takes id=host:port, was '" + m + "'");
          }
          members.add(body("id", kv[0], "raft", kv[1]));
        }
        return ControllerTarget.report(target.postToLeader("/v1/controllers/members",
            body("by", target.by(), "members", members)), "set members");
      }
      var answers = target.getAll("/v1/controllers");
      long leaderApplied = -1;
      JsonNode followers = null;
      for (ControllerTarget.Answer a : answers) {
        if (a.status() == 200 && "LEADER".equals(a.body().path("role").asText())) {
          leaderApplied = a.body().path("lastApplied").asLong();
          followers = a.body().path("followers");
        }
      }
      System.out.printf("%-14s %-10s %6s %12s %6s %14s  %s%n", "CONTROLLER", "ROLE", "TERM", "APPLIED", "LAG",
          "LAST CONTACT", "API");
      int unreachable = 0;
      for (ControllerTarget.Answer a : answers) {
        if (a.status() != 200) {
          unreachable++;
          System.out.printf("%-14s %-10s %6s %12s %6s %14s  %s%n", "?", "UNREACHABLE", "-", "-", "-", "-", a.url());
          continue;
        }
        JsonNode b = a.body();
        String id = b.path("controller").asText();
        long applied = b.path("lastApplied").asLong();
        String lag = leaderApplied < 0 ? "?" : Long.toString(Math.max(0, leaderApplied - applied));
        String contact = followers != null && followers.has(id) ? followers.get(id).path("lastContactMs").asLong() + " ms"
            : "LEADER".equals(b.path("role").asText()) ? "-" : "?";
        System.out.printf("%-14s %-10s %6d %12d %6s %14s  %s%n", id, b.path("role").asText(), b.path("term").asLong(),
            applied, lag, contact, a.url());
      }
      return unreachable == answers.size() ? 1 : 0;
    }
  }
}
