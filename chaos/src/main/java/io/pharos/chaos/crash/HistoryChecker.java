package io.pharos.chaos.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crash schedules' oracle: checks a history — every controller's action log (what it did, in
 * which term, with which token, and how it ended) and the replicated timeline — against the fault
 * windows that were played.
 *
 * <ol>
 *   <li>at most one controller acted (successfully) in any term;
 *   <li>the DNS provider (the journal's zone) never accepted a change with an older token than one
 *       it had accepted;
 *   <li>no intent lost (every decided intent completed) or applied twice (one DNS change per
 *       decision, on the timeline and in the action logs);
 *   <li>a controller cut off from the others, or frozen, never acted during that window (after
 *       its lease ran out);
 *   <li>no automatic failover of a region whose app was up all along.
 * </ol>
 */
public final class HistoryChecker {
  /** Time a cut-off leader may still finish what it started: its lease (270 ms) and some slack. */
  static final long LEASE_SLACK_MS = 1_000;
  /** How long after an app came back its region may still be failed over (detection lag). */
  static final long DETECTION_SLACK_MS = 15_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One line of a controller's action log. */
  public record Action(long at, String controller, String action, long term, String decisionId, String token,
      String outcome) {
    boolean ok() {
      return outcome != null && outcome.startsWith("ok");
    }

    /** A successful DNS apply that changed something ({@code ok: <change ids>}; a no-op is {@code ok: }). */
    boolean changedDns() {
      return ok() && "dns-apply".equals(action) && outcome.length() > "ok: ".length();
    }
  }

  /** Everything the checks look at. */
  public record History(List<Action> actions, List<PharosEvent> events, List<String> decisions) {}

  private HistoryChecker() {}

  public static History collect(LocalSandbox sandbox, long since) {
    List<Action> actions = new ArrayList<>();
    for (SandboxRegion r : sandbox.regions()) {
      actions.addAll(read(sandbox.actionLog(r), since));
    }
    // the leader's timeline: a follower may not have applied the last entries yet
    List<String> urls = sandbox.leader().map(l -> List.of(l.apiUrl()))
        .orElse(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList());
    return of(actions, new EventFeed(urls, since, sandbox.viewerToken()).poll());
  }

  /** A history of these actions and events; its decisions are the timeline's DECIDED ones. */
  static History of(List<Action> actions, List<PharosEvent> events) {
    List<String> decisions = events.stream().filter(e -> e.type() == EventType.DECIDED).map(PharosEvent::decisionId)
        .distinct().toList();
    return new History(actions, events, decisions);
  }

  /** The lines of one action log ({@code actions.jsonl}) at or after {@code since}; none if there is no file. */
  static List<Action> read(Path file, long since) {
    List<Action> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = MAPPER.readTree(line);
        if (n.path("at").asLong() >= since) {
          out.add(new Action(n.path("at").asLong(), n.path("controller").asText(), n.path("action").asText(),
              n.path("term").asLong(), text(n, "decisionId"), text(n, "token"), text(n, "outcome")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the action log " + file, e);
    }
    return out;
  }

  private static String text(JsonNode n, String f) {
    return n.path(f).isNull() || n.path(f).isMissingNode() ? null : n.path(f).asText();
  }

  /** Every violation of the properties above, one line each; empty when the history is clean. */
  public static List<String> check(History h, List<CrashScheduleRunner.Window> windows) {
    List<String> v = new ArrayList<>();
    oneActorPerTerm(h, v);
    dnsTokensOnlyGrow(h, v);
    noIntentLostOrAppliedTwice(h, v);
    noActionWhileCutOffOrFrozen(h, windows, v);
    noFailoverOfAServingRegion(h, windows, v);
    return v;
  }

  private static void oneActorPerTerm(History h, List<String> v) {
    Map<Long, Set<String>> actorsByTerm = new HashMap<>();
    for (Action a : h.actions()) {
      if (a.ok()) {
        actorsByTerm.computeIfAbsent(a.term(), t -> new LinkedHashSet<>()).add(a.controller());
      }
    }
    actorsByTerm.forEach((term, who) -> {
      if (who.size() > 1) {
        v.add("term " + term + ": more than one controller acted " + who);
      }
    });
  }

  private static void dnsTokensOnlyGrow(History h, List<String> v) {
    FencingToken last = FencingToken.NONE;
    for (PharosEvent e : h.events()) {
      if (e.type() == EventType.DNS_COMMITTED && e.token() != null) {
        if (!e.token().isNewerThan(last)) {
          v.add("DNS accepted token " + e.token() + " after " + last);
        }
        last = e.token();
      }
    }
  }

  private static void noIntentLostOrAppliedTwice(History h, List<String> v) {
    Map<String, Integer> dnsPerDecision = new HashMap<>();
    Set<String> completed = new HashSet<>();
    for (PharosEvent e : h.events()) {
      if (e.type() == EventType.DNS_COMMITTED) {
        dnsPerDecision.merge(e.decisionId(), 1, Integer::sum);
      } else if (e.type() == EventType.COMPLETED) {
        completed.add(e.decisionId());
      }
    }
    dnsPerDecision.forEach((id, n) -> {
      if (n > 1) {
        v.add("decision " + id + " changed DNS " + n + " times");
      }
    });
    for (String id : h.decisions()) {
      if (!completed.contains(id)) {
        v.add("decision " + id + " was decided but never completed (intent lost)");
      }
    }
    Map<String, Integer> appliedOk = new HashMap<>();
    for (Action a : h.actions()) {
      if (a.changedDns()) {
        appliedOk.merge(a.decisionId(), 1, Integer::sum);
      }
    }
    appliedOk.forEach((id, n) -> {
      if (n > 1) {
        v.add("decision " + id + " applied to DNS by " + n + " successful calls");
      }
    });
  }

  private static void noActionWhileCutOffOrFrozen(History h, List<CrashScheduleRunner.Window> windows,
      List<String> v) {
    for (CrashScheduleRunner.Window w : windows) {
      if (w.op().kind() != Op.Kind.PARTITION_CONTROLLER && w.op().kind() != Op.Kind.FREEZE_CONTROLLER) {
        continue;
      }
      String controller = "c-" + w.op().region();
      for (Action a : h.actions()) {
        if (a.ok() && a.controller().equals(controller) && a.at() > w.from() + LEASE_SLACK_MS && a.at() < w.to()) {
          v.add(controller + " acted while " + (w.op().kind() == Op.Kind.FREEZE_CONTROLLER ? "frozen" : "cut off")
              + " (" + a.action() + " " + a.decisionId() + " at +" + (a.at() - w.from()) + " ms)");
        }
      }
    }
  }

  private static void noFailoverOfAServingRegion(History h, List<CrashScheduleRunner.Window> windows,
      List<String> v) {
    for (PharosEvent e : h.events()) {
      if (e.type() != EventType.DECIDED || e.detail() == null || !e.detail().startsWith("FAILOVER (automatic)")) {
        continue;
      }
      boolean appWasDown = windows.stream().anyMatch(w -> w.op().kind() == Op.Kind.KILL_APP
          && e.region().contains(w.op().region()) && w.from() <= e.at() && e.at() <= w.to() + DETECTION_SLACK_MS);
      if (!appWasDown) {
        v.add("region " + e.region() + " failed over at " + e.at() + " although its app was up");
      }
    }
  }
}
