package io.pharos.chaos.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.chaos.crash.CrashScheduleRunner.Window;
import io.pharos.chaos.crash.HistoryChecker.Action;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.PharosEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-test oracle: for each property it checks, a history that breaks it is caught and the
 * clean history passes. The clean history is what a good schedule looks like: us-east's app is
 * killed, eu-west's controller (term 2) fails it over and back, ap-south's controller is cut off
 * and later frozen without acting, and a successor re-applies DNS as a no-op.
 */
class HistoryCheckerTest {
  private static final FencingToken T1 = new FencingToken(2, 10);
  private static final FencingToken T2 = new FencingToken(2, 14);

  private final List<Action> actions = new ArrayList<>(List.of(
      new Action(3_100, "c-eu-west", "propose-Intent", 2, "d1", null, "ok"),
      new Action(3_200, "c-eu-west", "fence", 2, "d1", T1.toString(), "ok"),
      new Action(3_300, "c-eu-west", "dns-apply", 2, "d1", T1.toString(), "ok: C1"),
      new Action(3_400, "c-eu-west", "publish-modes", 2, "d1", T1.toString(), "ok"),
      // a successor finds the change already made: an idempotent no-op
      new Action(4_000, "c-us-east", "dns-apply", 3, "d1", T1.toString(), "ok: "),
      // cut off at 10 000: still finishing within its lease, then only failures
      new Action(10_500, "c-ap-south", "publish-modes", 4, null, T1.toString(), "ok"),
      new Action(13_000, "c-ap-south", "publish-modes", 4, null, T1.toString(), "failed: not the leader"),
      // failback after the app is back
      new Action(21_000, "c-us-east", "dns-apply", 3, "d2", T2.toString(), "ok: C2"),
      // acting again once the freeze is over
      new Action(36_000, "c-ap-south", "publish-modes", 5, null, T2.toString(), "ok")));
  private final List<PharosEvent> events = new ArrayList<>(List.of(
      event(3_000, EventType.DECIDED, "us-east", "d1", "FAILOVER (automatic): RegionDown", T1),
      event(3_300, EventType.DNS_COMMITTED, "us-east", "d1", "weights {us-east=0}", T1),
      event(3_500, EventType.COMPLETED, "us-east", "d1", "done", T1),
      event(20_000, EventType.DECIDED, "us-east", "d2", "FAILBACK (automatic): recovered", T2),
      event(21_000, EventType.DNS_COMMITTED, "us-east", "d2", "weights {us-east=100}", T2),
      event(21_500, EventType.COMPLETED, "us-east", "d2", "done", T2)));
  private final List<Window> windows = new ArrayList<>(List.of(
      window(Op.Kind.KILL_APP, "us-east", 1_000, 9_000),
      window(Op.Kind.PARTITION_CONTROLLER, "ap-south", 10_000, 15_000),
      window(Op.Kind.FREEZE_CONTROLLER, "ap-south", 30_000, 35_000),
      window(Op.Kind.KILL_CONTROLLER, "eu-west", 25_000, 26_000)));

  @TempDir
  Path dir;

  private static PharosEvent event(long at, EventType type, String region, String decision, String detail,
      FencingToken token) {
    return new PharosEvent(at, type, region, decision, null, detail, "c-eu-west", token);
  }

  private static Window window(Op.Kind kind, String region, long from, long to) {
    return new Window(new Op(kind, region, from, to - from), from, to);
  }

  private List<String> check() {
    return HistoryChecker.check(HistoryChecker.of(actions, events), windows);
  }

  @Test
  void aCleanHistoryPasses() {
    assertThat(check()).isEmpty();
  }

  @Test
  void twoControllersActingInOneTermAreCaught() {
    actions.add(new Action(3_250, "c-us-east", "fence", 2, "d1", T1.toString(), "ok"));
    assertThat(check()).containsExactly("term 2: more than one controller acted [c-eu-west, c-us-east]");
  }

  @Test
  void aFailedCallIsNotActing() {
    actions.add(new Action(3_250, "c-us-east", "fence", 2, "d1", T1.toString(), "failed: fenced out"));
    actions.add(new Action(3_260, "c-us-east", "propose-Intent", 2, "d1", null, "refused: not the acting leader"));
    assertThat(check()).isEmpty();
  }

  @Test
  void aDnsTokenThatDoesNotGrowIsCaught() {
    events.add(event(22_000, EventType.DNS_COMMITTED, "us-east", "d3", "weights {}", new FencingToken(2, 12)));
    events.add(event(22_100, EventType.COMPLETED, "us-east", "d3", "done", new FencingToken(2, 12)));
    assertThat(check()).containsExactly("DNS accepted token 2:12 after 2:14");
  }

  @Test
  void theSameTokenTwiceIsCaught() {
    events.add(event(22_000, EventType.DNS_COMMITTED, "us-east", "d3", "weights {}", T2));
    events.add(event(22_100, EventType.COMPLETED, "us-east", "d3", "done", T2));
    assertThat(check()).containsExactly("DNS accepted token 2:14 after 2:14");
  }

  @Test
  void aDecidedIntentThatNeverCompletesIsCaught() {
    events.removeIf(e -> e.type() == EventType.COMPLETED && "d2".equals(e.decisionId()));
    assertThat(check()).containsExactly("decision d2 was decided but never completed (intent lost)");
  }

  @Test
  void anIntentCommittedToDnsTwiceIsCaught() {
    // a newer token, so only this property is broken
    events.add(3, event(3_600, EventType.DNS_COMMITTED, "us-east", "d1", "weights {us-east=0}",
        new FencingToken(2, 12)));
    assertThat(check()).containsExactly("decision d1 changed DNS 2 times");
  }

  @Test
  void anIntentAppliedByTwoSuccessfulProviderCallsIsCaught() {
    // the successor changed the records again instead of finding them done
    actions.replaceAll(a -> a.controller().equals("c-us-east") && "d1".equals(a.decisionId())
        ? new Action(a.at(), a.controller(), a.action(), a.term(), a.decisionId(), a.token(), "ok: C9") : a);
    assertThat(check()).containsExactly("decision d1 applied to DNS by 2 successful calls");
  }

  @Test
  void aCutOffControllerActingAfterItsLeaseIsCaught() {
    actions.add(new Action(12_500, "c-ap-south", "dns-apply", 4, "d9", T1.toString(), "ok: C7"));
    assertThat(check()).containsExactly("c-ap-south acted while cut off (dns-apply d9 at +2500 ms)");
  }

  @Test
  void aFrozenControllerActingIsCaught() {
    // a frozen process cannot run; an action stamped inside the window means the clock or the window is wrong
    actions.add(new Action(33_000, "c-ap-south", "publish-modes", 5, null, T2.toString(), "ok"));
    assertThat(check()).containsExactly("c-ap-south acted while frozen (publish-modes null at +3000 ms)");
  }

  @Test
  void anAutomaticFailoverOfARegionWhoseAppWasUpIsCaught() {
    events.add(event(40_000, EventType.DECIDED, "eu-west", "d4", "FAILOVER (automatic): RegionDown", null));
    events.add(event(40_500, EventType.COMPLETED, "eu-west", "d4", "done", null));
    assertThat(check()).containsExactly("region eu-west failed over at 40000 although its app was up");
  }

  @Test
  void aFailoverLongAfterTheAppCameBackIsCaughtButOneWithinTheDetectionLagIsNot() {
    events.add(event(9_000 + HistoryChecker.DETECTION_SLACK_MS, EventType.DECIDED, "us-east", "d5",
        "FAILOVER (automatic): RegionDown", null));
    events.add(event(9_000 + HistoryChecker.DETECTION_SLACK_MS + 1, EventType.DECIDED, "us-east", "d6",
        "FAILOVER (automatic): RegionDown", null));
    events.add(event(30_000, EventType.COMPLETED, "us-east", "d5", "done", null));
    events.add(event(30_000, EventType.COMPLETED, "us-east", "d6", "done", null));
    assertThat(check()).containsExactly("region us-east failed over at 24001 although its app was up");
  }

  @Test
  void anOperatorFailoverOfAServingRegionIsAllowed() {
    events.add(event(40_000, EventType.DECIDED, "eu-west", "d4", "FAILOVER (operator): maintenance", null));
    events.add(event(40_500, EventType.COMPLETED, "eu-west", "d4", "done", null));
    assertThat(check()).isEmpty();
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    actions.add(new Action(3_250, "c-us-east", "fence", 2, "d1", T1.toString(), "ok"));
    events.removeIf(e -> e.type() == EventType.COMPLETED && "d2".equals(e.decisionId()));
    events.add(event(40_000, EventType.DECIDED, "eu-west", "d4", "FAILOVER (automatic): RegionDown", null));
    events.add(event(40_500, EventType.COMPLETED, "eu-west", "d4", "done", null));
    assertThat(check()).hasSize(3);
  }

  @Test
  void readsAnActionLogFromAGivenTime() throws Exception {
    Path log = dir.resolve("actions.jsonl");
    Files.writeString(log, """
        {"at":900,"controller":"c-eu-west","action":"publish-modes","term":1,"decisionId":null,"token":"1:3","outcome":"ok"}

        {"at":1000,"controller":"c-eu-west","action":"dns-apply","term":2,"decisionId":"d1","token":"2:10","outcome":"ok: C1"}
        {"at":1100,"controller":"c-eu-west","action":"propose-Intent","term":2}
        """);
    List<Action> read = HistoryChecker.read(log, 1_000);
    assertThat(read).containsExactly(
        new Action(1_000, "c-eu-west", "dns-apply", 2, "d1", "2:10", "ok: C1"),
        new Action(1_100, "c-eu-west", "propose-Intent", 2, null, null, null));
    assertThat(read.get(0).changedDns()).isTrue();
    assertThat(read.get(1).ok()).isFalse();
    assertThat(HistoryChecker.read(dir.resolve("none.jsonl"), 0)).isEmpty();
  }
}
