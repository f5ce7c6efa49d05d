package io.pharos.chaos.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A drill scenario, validated: where it runs, what it does step by step, what must come out of it,
 * the RTO/RPO targets it is measured against and when it stops early. Written in YAML (see
 * docs/drills.md); built by {@link ScenarioParser}.
 *
 * @param name short id ({@code hard-region-loss})
 * @param pending when set, the drill cannot run yet and this says why
 * @param schedule how often it should run ({@code monthly}, {@code quarterly}, {@code 30d}), or null
 * @param source the file or {@code builtin:<name>} it came from
 */
public record Scenario(String name, String title, String description, String pending, Environment environment,
    Targets targets, String lagSource, List<Step> steps, Expectation expect, Abort abort, String schedule,
    Duration scheduleEvery, List<String> notes, Map<String, String> vars, String source) {

  public Optional<String> pendingReason() {
    return Optional.ofNullable(pending);
  }

  /**
   * Where the drill runs.
   *
   * @param network the sandbox's network: auto, loopback or netns (sandbox only)
   * @param dns the DNS provider the sandbox's controllers drive: embedded or route53 (sandbox only)
   * @param policy the sandbox's {@code policy:} settings that differ from the drill sandbox's
   *     ({@code mode}, {@code approvalEscalateAfter}); empty for the shared drill sandbox's own
   */
  public record Environment(Kind kind, String network, String attach, Deployment deployment, String dns,
      Map<String, String> policy) {
    public static final Environment SANDBOX = new Environment(Kind.SANDBOX, "auto", null, null, "embedded", Map.of());

    public Environment {
      policy = policy == null ? Map.of() : Map.copyOf(policy);
    }

    public Environment(Kind kind, String network, String attach, Deployment deployment) {
      this(kind, network, attach, deployment, kind == Kind.SANDBOX ? "embedded" : null, Map.of());
    }

    /** A sandbox started like the shared drill sandbox: embedded DNS, its policy untouched. */
    public boolean sharedSandbox() {
      return kind == Kind.SANDBOX && "embedded".equals(dns) && policy.isEmpty();
    }

    public boolean sandbox() {
      return kind != Kind.DEPLOYMENT;
    }
  }

  /** A local sandbox the runner starts, one already running (attach), or a real deployment. */
  public enum Kind {
    SANDBOX,
    ATTACH,
    DEPLOYMENT
  }

  /**
   * A running deployment, reached by URLs.
   *
   * @param apps per region, the base URL of an app whose faults can be set ({@code /_fault})
   * @param addresses per region, the addresses DNS answers for it (for the resolver check)
   */
  public record Deployment(String name, List<String> controllers, List<String> nameServers, String record,
      Map<String, List<String>> addresses, Map<String, String> apps, Map<String, ProxySpec> proxies,
      ProxySpec providerProxy) {}

  /** A chaos proxy the runner starts: listens on one address, forwards to another. */
  public record ProxySpec(String listen, String upstream) {}

  /** Timing targets; null where none is set. */
  public record Targets(Duration detect, Duration dnsCommitted, Duration resolvers, Duration rto, Duration rpo) {
    public static final Targets NONE = new Targets(null, null, null, null, null);
  }

  /** One step. */
  public sealed interface Step permits Inject, Wait, Assert, Revert, Operator {
    int line();

    String describe();
  }

  /**
   * Inject a fault.
   *
   * @param fault kill, freeze, endpoint, flap, partition, proxy or dns-provider
   * @param target the process or app (kill, freeze, endpoint, flap) or proxy name; null for others
   * @param params the fault's other fields, validated, as text
   * @param sideA partition side A (refs), empty for other faults
   */
  public record Inject(int line, String id, String fault, String target, Map<String, String> params,
      List<String> sideA, List<String> sideB, Duration lease) implements Step {
    @Override
    public String describe() {
      String what = target != null ? " " + target : !sideA.isEmpty() ? " " + sideA + " <-/-> " + sideB : "";
      return "inject " + id + ": " + fault + what + (params.isEmpty() ? "" : " " + params);
    }
  }

  /** Wait until a condition holds (failing at {@code within}), or hold for {@code hold}. */
  public record Wait(int line, Condition until, Duration within, Duration hold) implements Step {
    @Override
    public String describe() {
      return until == null ? "observe for " + hold.toMillis() / 1000.0 + " s"
          : "wait until " + until.describe() + " (within " + within.toMillis() / 1000.0 + " s)";
    }
  }

  /** Check a condition now. */
  public record Assert(int line, Condition that) implements Step {
    @Override
    public String describe() {
      return "assert " + that.describe();
    }
  }

  /**
   * An operator command sent to the acting leader, as an SRE would with the CLI.
   *
   * @param command evacuate, abort-evacuation, failback, approve or reject (the decision waiting for an
   *     operator about the region)
   * @param steps evacuate: percentages of the configured weight, or empty for the default
   * @param hold evacuate: the hold between steps, or null for the default
   * @param force failback: even before the stabilisation window
   */
  public record Operator(int line, String command, String region, List<Integer> steps, Duration hold, boolean force,
      String reason) implements Step {
    @Override
    public String describe() {
      return "operator " + command + " " + region + (steps.isEmpty() ? "" : " steps " + steps)
          + (hold == null ? "" : " hold " + hold.toMillis() / 1000.0 + " s") + (force ? " (forced)" : "");
    }
  }

  /** Revert one fault by id, or {@code all}. */
  public record Revert(int line, String id) implements Step {
    @Override
    public String describe() {
      return "revert " + id;
    }
  }

  /**
   * A condition on the observed system.
   *
   * @param kind detected, decided, fenced, dns-committed, verified, completed, resolvers-cut-over,
   *     alert, state, served, mode, failovers, recovered, weight, evacuation, weights-restored,
   *     others-untouched, local-alert (a controller's own alert, raised without a quorum), approval
   *     (a decision waits for an operator)
   * @param at served: the regions whose name servers are asked (empty: every name server)
   */
  public record Condition(String kind, String region, String code, String is, Integer atMost, List<String> at) {
    public Condition {
      at = at == null ? List.of() : List.copyOf(at);
    }

    public String describe() {
      StringBuilder sb = new StringBuilder(kind);
      if (region != null) {
        sb.append(" of ").append(region);
      }
      if (code != null) {
        sb.append("failovers".equals(kind) ? " since " : " ").append(code);
      }
      if (is != null) {
        sb.append(" is ").append(is);
      }
      if (atMost != null) {
        sb.append(" at most ").append(atMost);
      }
      if (!at.isEmpty()) {
        sb.append(" at the name servers of ").append(String.join(", ", at));
      }
      return sb.toString();
    }
  }

  /**
   * What must come out of the drill.
   *
   * @param failoverRegions regions that must be failed over (empty when none is expected)
   * @param failoverWithin the failover's DNS change must be committed this long after the fault
   * @param noFailover no failover of any region may happen
   * @param maxFailovers at most this many failovers (anti-flap), or null
   * @param alerts alert codes that must be raised
   * @param evacuated regions that must be evacuated all the way out (and, by the end, back in)
   */
  public record Expectation(List<String> failoverRegions, Duration failoverWithin, boolean noFailover,
      Integer maxFailovers, List<String> alerts, List<String> evacuated) {
    public String describe() {
      List<String> parts = new java.util.ArrayList<>();
      if (!evacuated.isEmpty()) {
        parts.add("evacuation of " + String.join(", ", evacuated) + " step by step, then failback on command");
      }
      if (!failoverRegions.isEmpty()) {
        parts.add("failover of " + String.join(", ", failoverRegions) + " (DNS committed within "
            + failoverWithin.toMillis() / 1000 + " s)");
      }
      if (noFailover) {
        parts.add("no failover");
      }
      if (maxFailovers != null) {
        parts.add("at most " + maxFailovers + " failover" + (maxFailovers == 1 ? "" : "s"));
      }
      if (!alerts.isEmpty()) {
        parts.add("alerts " + String.join(", ", alerts));
      }
      return String.join("; ", parts);
    }
  }

  /**
   * When the drill stops early, reverting everything.
   *
   * @param after the whole drill's deadline
   * @param unexpectedFailover stop when a region fails over that the drill does not expect
   * @param otherRegionUnhealthy stop when a region the drill does not touch becomes unhealthy
   */
  public record Abort(Duration after, boolean unexpectedFailover, boolean otherRegionUnhealthy) {}
}
