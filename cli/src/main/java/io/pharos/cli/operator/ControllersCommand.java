package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos controllers}: the Raft members and their state, or a new member list. */
@Command(name = "controllers", mixinStandardHelpOptions = true,
    description = "List the controllers: role, term, applied index, lag behind the leader, last contact;"
        + " or change the Raft members (--set-members) to replace a lost controller.")
public final class ControllersCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Option(names = "--set-members", split = ",", paramLabel = "id=host:port",
      description = "the complete new member list (Raft addresses), 3 or 5 of them, e.g."
          + " c1=10.0.1.5:7600,c2=...,c4=... (needs an admin token)")
  List<String> setMembers;

  @Option(names = "--reason", description = "with --set-members: why (required; recorded in the audit chain)")
  String reason;

  @Override
  public Integer call() {
    if (setMembers != null) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("--set-members needs --reason");
      }
      if (setMembers.size() != 3 && setMembers.size() != 5) {
        throw new IllegalArgumentException("--set-members takes 3 or 5 controllers (a majority must survive one or two"
            + " failures and outvote a split), was " + setMembers.size());
      }
      List<Map<String, Object>> members = new ArrayList<>();
      for (String m : setMembers) {
        String[] kv = m.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("--set-members takes id=host:port, was '" + m + "'");
        }
        members.add(ControllerTarget.body("id", kv[0], "raft", kv[1]));
      }
      return ControllerTarget.report(target.postToLeader("/v1/controllers/members",
          ControllerTarget.body("reason", reason, "members", members)), "set members");
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
        System.out.printf("%-14s %-10s %6s %12s %6s %14s  %s%n", "?", a.status() == 0 ? "UNREACHABLE" : "HTTP "
            + a.status(), "-", "-", "-", "-", a.url());
        if (a.status() != 0) {
          System.err.println("pharos: " + a.url() + ": " + ControllerTarget.explain(a));
        }
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
