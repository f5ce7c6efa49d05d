package io.pharos.chaos.fault;

import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.net.Iptables;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.sandbox.Http;
import java.util.List;

/** Carries out a {@link RevertSpec}; used by the watchdog. Each action is idempotent. */
public final class RevertActions {
  private RevertActions() {}

  /** Runs the action; returns a line saying what happened. Never throws. */
  public static String run(RevertSpec s) {
    try {
      return switch (s.type()) {
        case "sigcont" -> {
          Cmd.Result r = Cmd.run(List.of("kill", "-CONT", s.args().get("pid")));
          yield "kill -CONT " + s.args().get("pid") + (r.ok() ? ": ok" : ": " + r.err().strip());
        }
        case "iptables" -> {
          String ns = s.args().get("namespace");
          int n = Iptables.delete(ns.isEmpty() ? null : ns, s.args().get("tag"));
          yield "deleted " + n + " iptables rules tagged " + s.args().get("tag") + (ns.isEmpty() ? "" : " in " + ns);
        }
        case "http" -> {
          var r = Http.send(s.args().get("method"), s.args().get("url"), null);
          yield s.describe() + ": " + r.map(x -> "HTTP " + x.status()).orElse("no answer");
        }
        case "netns" -> {
          NetnsNetwork.Descriptor d = NetnsNetwork.fromJson(s.args().get("descriptor"));
          NetnsNetwork.teardown(d);
          yield "tore down namespace network " + d.id();
        }
        default -> "unknown revert " + s.type();
      };
    } catch (RuntimeException e) {
      return s.describe() + " failed: " + e.getMessage();
    }
  }
}
