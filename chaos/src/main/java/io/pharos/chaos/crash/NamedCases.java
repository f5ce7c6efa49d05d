package io.pharos.chaos.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.net.PartitionInjector;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The three crash cases the safety issue names, each played deliberately on a sandbox whose
 * controllers hold {@link #HOLD_MS} between committing an intent and executing it (the
 * {@code PHAROS_FAULT_HOLD_BEFORE_FENCE_MS} hook), so the fault lands exactly in that gap.
 */
public final class NamedCases {
  public static final long HOLD_MS = 1_500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalSandbox sandbox;
  private final CrashScheduleRunner runner;

  public NamedCases(LocalSandbox sandbox, CrashScheduleRunner runner) {
    this.sandbox = sandbox;
    this.runner = runner;
  }

  /** Leader kill -9 between intent commit and DNS apply: the successor applies it exactly once. */
  public List<String> leaderKilledBetweenIntentAndDns() {
    runner.settle();
    SandboxRegion leader = sandbox.leader().orElseThrow();
    SandboxRegion victim = other(leader, null);
    long t0 = System.currentTimeMillis();
    EventFeed feed = feed(t0);
    victim.app().kill();
    PharosEvent decided = await(feed, e -> e.type() == EventType.DECIDED, "the failover decision");
    leader.controller().kill();
    long killedAt = System.currentTimeMillis();
    await(feed, e -> e.type() == EventType.COMPLETED && decided.decisionId().equals(e.decisionId()),
        "the successor completing " + decided.decisionId());
    sandbox.startApp(victim);
    sandbox.startController(leader);
    List<String> v = new ArrayList<>(check(t0, List.of(
        new CrashScheduleRunner.Window(new Op(Op.Kind.KILL_APP, victim.name(), 0, 0), t0, System.currentTimeMillis()),
        new CrashScheduleRunner.Window(new Op(Op.Kind.KILL_CONTROLLER, leader.name(), 0, 0), killedAt, killedAt))));
    HistoryChecker.History h = HistoryChecker.collect(sandbox, t0);
    boolean oldLeaderApplied = h.actions().stream().anyMatch(a -> a.controller().equals(leader.controllerId())
        && "dns-apply".equals(a.action()) && decided.decisionId().equals(a.decisionId()) && a.ok());
    if (oldLeaderApplied) {
      v.add("the killed leader applied DNS before it died: the case did not hit the gap (hold too short?)");
    }
    boolean successorApplied = h.actions().stream().anyMatch(a -> !a.controller().equals(leader.controllerId())
        && "dns-apply".equals(a.action()) && decided.decisionId().equals(a.decisionId()) && a.ok());
    if (!successorApplied) {
      v.add("no successor applied DNS for " + decided.decisionId());
    }
    return v;
  }

  /**
   * Leader frozen past its lease, then resumed: meanwhile its successor finished that decision and
   * a newer one; the resumed leader's stale writes are refused by the receivers.
   */
  public List<String> frozenLeaderWritesAreRejected() {
    runner.settle();
    SandboxRegion leader = sandbox.leader().orElseThrow();
    SandboxRegion first = other(leader, null);
    SandboxRegion second = other(leader, first);
    long t0 = System.currentTimeMillis();
    EventFeed feed = feed(t0);
    first.app().kill();
    PharosEvent decided = await(feed, e -> e.type() == EventType.DECIDED, "the first failover decision");
    leader.controller().freeze();
    long frozenAt = System.currentTimeMillis();
    await(feed, e -> e.type() == EventType.COMPLETED && decided.decisionId().equals(e.decisionId()),
        "the successor completing " + decided.decisionId());
    second.app().kill();
    await(feed, e -> e.type() == EventType.FENCED && !decided.decisionId().equals(e.decisionId()),
        "the successor fencing a newer decision");
    // taken before SIGCONT: the resumed leader's first action can land before resume() returns
    long resumedAt = System.currentTimeMillis();
    leader.controller().resume();
    // its step held since before the freeze now runs into the receivers: wait until it shows in its log
    LocalSandbox.await(Duration.ofSeconds(30), "the resumed leader's held step", () ->
        HistoryChecker.collect(sandbox, resumedAt).actions().stream()
            .anyMatch(a -> a.controller().equals(leader.controllerId())));
    sandbox.startApp(first);
    sandbox.startApp(second);
    List<String> v = new ArrayList<>(check(t0, List.of(
        new CrashScheduleRunner.Window(new Op(Op.Kind.KILL_APP, first.name(), 0, 0), t0, System.currentTimeMillis()),
        new CrashScheduleRunner.Window(new Op(Op.Kind.KILL_APP, second.name(), 0, 0), t0, System.currentTimeMillis()),
        new CrashScheduleRunner.Window(new Op(Op.Kind.FREEZE_CONTROLLER, leader.name(), 0, 0), frozenAt, resumedAt))));
    HistoryChecker.History h = HistoryChecker.collect(sandbox, resumedAt);
    for (HistoryChecker.Action a : h.actions()) {
      // a mode broadcast's "ok" means sent, not taken: a paused leader can send one after it resumes
      // (it checked its lease before the pause), and the agents refuse it (checked below)
      if (a.controller().equals(leader.controllerId()) && a.ok() && a.at() < resumedAt + 5_000
          && !"publish-modes".equals(a.action())) {
        v.add("the resumed old leader's " + a.action() + " was accepted: " + a);
      }
    }
    v.addAll(agentsTookNoDeposedLeadersMode());
    return v;
  }

  /**
   * The receivers' side of the mode fence: no agent took a mode record issued in a lower term than
   * one it had taken (its {@code /v1/status} {@code mode.takenFromOlderTerm}, counted since it
   * started).
   */
  private List<String> agentsTookNoDeposedLeadersMode() {
    List<String> v = new ArrayList<>();
    for (SandboxRegion r : sandbox.regions()) {
      Optional<Http.Response> status = Http.get(r.agentUrl() + "/v1/status");
      if (status.isEmpty() || status.get().status() != 200) {
        v.add("the agent of " + r.name() + " did not answer /v1/status");
        continue;
      }
      try {
        long taken = JSON.readTree(status.get().body()).path("mode").path("takenFromOlderTerm").asLong(-1);
        if (taken != 0) {
          v.add("the agent of " + r.name() + " took " + taken + " mode records issued in an older term than one it"
              + " held (a deposed leader's)" + (taken < 0 ? ": the count is missing" : ""));
        }
      } catch (java.io.IOException e) {
        v.add("the agent of " + r.name() + " answered /v1/status with what is not JSON: " + e.getMessage());
      }
    }
    return v;
  }

  /** One controller partitioned away: it never acts while the other two keep failing over. */
  public List<String> partitionedControllerNeverActs() {
    runner.settle();
    SandboxRegion cut = sandbox.leader().orElseThrow();
    SandboxRegion victim = other(cut, null);
    Set<String> others = sandbox.regions().stream().filter(r -> r != cut).map(SandboxRegion::controllerId)
        .collect(Collectors.toSet());
    long t0 = System.currentTimeMillis();
    PartitionInjector.Cut partition = sandbox.partition(Set.of(cut.controllerId()), others);
    long cutAt = System.currentTimeMillis();
    EventFeed feed = new EventFeed(sandbox.regions().stream().filter(r -> r != cut).map(SandboxRegion::apiUrl)
        .toList(), t0, sandbox.viewerToken());
    victim.app().kill();
    await(feed, e -> e.type() == EventType.COMPLETED, "the majority failing over " + victim.name());
    long healAt = System.currentTimeMillis();
    sandbox.heal(partition);
    sandbox.startApp(victim);
    return check(t0, List.of(
        new CrashScheduleRunner.Window(new Op(Op.Kind.KILL_APP, victim.name(), 0, 0), t0, healAt),
        new CrashScheduleRunner.Window(new Op(Op.Kind.PARTITION_CONTROLLER, cut.name(), 0, 0), cutAt, healAt)));
  }

  private List<String> check(long t0, List<CrashScheduleRunner.Window> windows) {
    boolean settled = runner.settle();
    List<String> v = new ArrayList<>(HistoryChecker.check(HistoryChecker.collect(sandbox, t0), windows));
    if (!settled) {
      v.add("the sandbox did not settle afterwards");
    }
    return v;
  }

  private SandboxRegion other(SandboxRegion a, SandboxRegion b) {
    return sandbox.regions().stream().filter(r -> r != a && r != b).findFirst().orElseThrow();
  }

  private EventFeed feed(long since) {
    return new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), since,
        sandbox.viewerToken());
  }

  private static PharosEvent await(EventFeed feed, Predicate<PharosEvent> what, String description) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Optional<PharosEvent> hit = feed.poll().stream().filter(what).findFirst();
      if (hit.isEmpty()) {
        hit = feed.all().stream().filter(what).findFirst();
      }
      if (hit.isPresent()) {
        return hit.get();
      }
      CrashScheduleRunner.pause(20);
    }
    throw new IllegalStateException("timed out after 60 s waiting for " + description);
  }
}
