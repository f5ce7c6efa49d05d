package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.model.EventType;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordVerifier;
import io.pharos.testkit.config.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import io.pharos.testkit.config.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerClusterTest {
  @TempDir
  static Path dir;
  TestCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new TestCluster(dir);
    cluster.startAgents();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void electsOneActingLeaderAndSeesEveryRegionHealthy() {
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null);
    assertThat(cluster.controllers.stream().filter(c -> c.raft().isActingLeader())).hasSize(1);
    cluster.controllers.forEach(c -> assertThat(c.view().readiness().get("details").get("raftTransport").asText())
        .isEqualTo("mutual TLS"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> cluster.controllers.forEach(c ->
        c.view().status().get("regions").forEach(r -> assertThat(r.get("state").asText()).isEqualTo("HEALTHY"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> mode("b") != null);
    assertThat(mode("b").mode()).isEqualTo(Mode.READ_WRITE);
  }

  @Test
  @Order(2)
  void aSilentRegionThatOthersSeeServingIsNotFailedOver() {
    cluster.silent.add("b");
    await().atMost(Duration.ofSeconds(15)).until(() -> events(EventType.ALERT).stream()
        .anyMatch(e -> "MonitoringPartition".equals(e.code()) && "b".equals(e.region())));
    assertThat(cluster.leader().state().out()).isEmpty();
    cluster.silent.remove("b");
    await().atMost(Duration.ofSeconds(15)).until(() -> events(EventType.ALERT).stream()
        .anyMatch(e -> "MonitoringPartition".equals(e.code()) && e.detail().startsWith("cleared")));
    assertThat(cluster.leader().state().out()).isEmpty();
  }

  @Test
  @Order(3)
  void failsOverALostRegionEverywhereWithOneToken() throws Exception {
    long fault = System.currentTimeMillis();
    cluster.dead.add("b");
    await().atMost(Duration.ofSeconds(15)).until(() -> cluster.controllers.stream()
        .allMatch(c -> c.state().zone().weights().get("app.pharos.test").get("b") == 0));
    PharosController leader = cluster.leader();
    IntentRecord intent = leader.state().intents().values().iterator().next();
    assertThat(intent.intent().regions()).containsExactly("b");
    assertThat(leader.state().zone().token()).isEqualTo(intent.token());
    assertThat(leader.state().zone().weights().get("app.pharos.test")).containsEntry("a", 71).containsEntry("c", 29);
    for (PharosController c : cluster.controllers) {
      assertThat(answer(c.dnsPort())).containsExactly("10.0.0.1", "10.0.0.3");
    }
    ModeRecord b = mode("b");
    assertThat(b.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(b.token()).isEqualTo(intent.token());
    assertThat(mode("a").mode()).isEqualTo(Mode.READ_WRITE);
    await().atMost(Duration.ofSeconds(15)).until(() -> !events(EventType.COMPLETED).isEmpty());
    assertThat(leader.view().events(fault).stream().map(PharosEvent::type).filter(t -> t != EventType.ALERT))
        .containsSubsequence(EventType.DETECTED, EventType.DECIDED, EventType.FENCED, EventType.DNS_COMMITTED,
            EventType.VERIFIED, EventType.COMPLETED);
    PharosEvent verified = events(EventType.VERIFIED).get(0);
    // every name server answers the new set (checked directly above); the intent executor's own check may
    // find one slow to answer on a loaded machine, but never one answering the old set
    assertThat(verified.detail()).contains("new answer on").doesNotContain("stale");
    // every controller holds the same replicated timeline
    for (PharosController c : cluster.controllers) {
      await().atMost(Duration.ofSeconds(5)).until(() -> c.view().events(fault).size()
          == leader.view().events(fault).size());
    }
  }

  @Test
  @Order(4)
  void theMailboxHoldsTheSignedRecordAndKeepsItFromAnOlderOne() {
    SignedModeRecord current = signedMode("b");
    assertThat(new ModeRecordVerifier(cluster.config.controllers().group(),
        cluster.config.controllerKeys().trusted()).verify(current)).isEqualTo(ModeRecordVerifier.Verdict.VALID);
    ModeRecord c = current.record();
    SignedModeRecord stale = TestConfigs.modeSigner().sign(new ModeRecord(c.group(), "b", Mode.READ_WRITE,
        new io.pharos.core.model.FencingToken(0, 1), 15_000, c.issuedTerm(), c.issuedAtMillis(), "x"));
    String[] keys = cluster.config.controllerKeys().trusted().stream().map(Ed25519::base64).toArray(String[]::new);
    String result = cluster.client().<String, Object>getMap(ClusterNames.MODES)
        .executeOnKey("b", new io.pharos.controller.failover.ModeUpdate(stale, c.group(), keys));
    assertThat(result).isEqualTo("kept:" + c.token());
    assertThat(mode("b").token()).isEqualTo(c.token());
  }

  @Test
  @Order(5)
  void rejectsAndCountsOversizedMalformedOldForgedAndForeignReports() {
    var topic = cluster.client().<byte[]>getTopic(io.pharos.core.wire.ReportTopics.ALL.get(3));
    long now = System.currentTimeMillis();
    var obs = java.util.List.of(io.pharos.core.model.Observation.up("a", "app", 1, 200, now));
    var report = new io.pharos.core.model.Report(2, "a", 1, "intruder", 1, 1, 1_000, 0, now, obs);
    topic.publish(new byte[1 << 20]);
    topic.publish(new byte[] {1, 2, 3, 4});
    byte[] v1 = io.pharos.core.wire.ReportCodec.encode(report);
    v1[3] = 1; // the retired shared-key format
    topic.publish(java.util.Arrays.copyOf(v1, v1.length + 32));
    var outsider = io.pharos.core.security.MasterSecret.of("an-outsiders-test-only-secret-not-the-real-one");
    topic.publish(new io.pharos.core.wire.ReportSigner(outsider.regionKey("a", 1)).sign(report));
    topic.publish(new io.pharos.core.wire.ReportSigner(TestConfigs.MASTER.regionKey("mars", 1))
        .sign(new io.pharos.core.model.Report(2, "mars", 1, "stranger", 1, 1, 1_000, 0, now, java.util.List.of())));
    for (PharosController c : cluster.controllers) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        var rejected = c.view().status().get("rejectedReports");
        assertThat(rejected.get("oversized").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(rejected.get("malformed").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(rejected.get("unsupported-version").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(rejected.get("bad-signature").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(rejected.get("unknown-region").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(rejected.get("duplicate").asDouble()).as("the second path's copies").isGreaterThanOrEqualTo(1);
      });
      assertThat(c.view().metrics()).contains("pharos_reports_rejected_total{controller=");
    }
  }

  @Test
  @Order(6)
  void operatorCallsNeedTheTokenValidJsonAndTheLeader() throws Exception {
    PharosController leader = cluster.leader();
    PharosController follower = cluster.controllers.stream().filter(c -> c != leader).findFirst().orElseThrow();
    assertThat(post(leader, "/v1/automation/pause", "{\"reason\":\"x\"}", null).statusCode())
        .isEqualTo(401);
    var bad = post(leader, "/v1/automation/pause", "{not json", cluster.operatorToken);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("bad JSON");
    assertThat(post(leader, "/v1/automation/pause", "{}", cluster.operatorToken).body())
        .contains("field 'reason' is required");
    assertThat(post(leader, "/v1/automation/pause", "{\"by\":\"mallory\",\"reason\":\"x\"}", cluster.operatorToken)
        .body()).contains("field 'by' is no longer taken: who asks is the token's name ('test-operator')");
    var notLeader = post(follower, "/v1/automation/pause", "{\"reason\":\"x\"}",
        cluster.operatorToken);
    assertThat(notLeader.statusCode()).isEqualTo(409);
    assertThat(notLeader.body()).contains("not the acting leader");
    assertThat(post(leader, "/v1/regions/b/failback", "{\"reason\":\"x\"}", cluster.operatorToken)
        .body()).contains("has not been healthy");
  }

  @Test
  @Order(7)
  void anOperatorFailsARegionBackAndPausesAutomation() throws Exception {
    cluster.dead.remove("b");
    PharosController leader = cluster.leader();
    var r = post(leader, "/v1/regions/b/failback", "{\"reason\":\"fixed\",\"force\":true}",
        cluster.operatorToken);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> leader.state().pending() == null
        && leader.state().zone().weights().get("app.pharos.test").get("b") == 30);
    await().atMost(Duration.ofSeconds(10)).until(() -> mode("b").mode() == Mode.READ_WRITE);
    assertThat(post(leader, "/v1/automation/pause", "{\"reason\":\"maintenance\"}",
        cluster.operatorToken).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().state().maintenance() != null);
    cluster.dead.add("c");
    await().atMost(Duration.ofSeconds(15)).until(() -> events(EventType.ALERT).stream()
        .anyMatch(e -> "FailoverBlocked".equals(e.code()) && e.detail().contains("automation paused by test-operator")));
    assertThat(cluster.leader().state().out()).doesNotContain("c");
    assertThat(post(cluster.leader(), "/v1/automation/resume", "{\"reason\":\"maintenance over\"}", cluster.operatorToken)
        .statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> cluster.leader().state().out().contains("c"));
    cluster.dead.remove("c");
  }

  @Test
  @Order(8)
  void aNewControllerWithADifferentPeerSetOrGroupRefusesToJoin() throws Exception {
    var c = cluster.config.controllers();
    var extra = new io.pharos.core.config.ControllerPeer("c-d", "a", HostPort.parse("127.0.0.1:"
        + io.pharos.testkit.proc.Ports.free()), HostPort.parse("127.0.0.1:1"), HostPort.parse("127.0.0.1:2"),
        HostPort.parse("127.0.0.1:3"));
    var peers = new java.util.ArrayList<>(c.peers());
    peers.add(extra);
    var bigger = new io.pharos.core.config.ControllersConfig(c.group(), peers, c.storageDir(), c.electionTimeoutMin(),
        c.electionTimeoutMax(), c.tls());
    // a certificate of the group's CA: over mutual TLS the running controllers refuse a controller that
    // is not a member of their group at the handshake, before it can ask anything (the group and
    // member-set messages are GroupCheckTest's)
    cluster.issue("c-d", extra.raft().host());
    var raft = new io.pharos.controller.raft.RaftJournal(bigger, extra, dir.resolve("new"), cluster.leader().state(),
        errors());
    org.assertj.core.api.Assertions.assertThatThrownBy(raft::start)
        .isInstanceOf(io.pharos.controller.raft.RaftStartException.class)
        .hasMessageContaining("and controller c-d did not accept each other's certificate")
        .hasMessageContaining("add it with --join and a membership change");
    var otherGroup = new io.pharos.core.config.ControllersConfig("another-group", peers, c.storageDir(),
        c.electionTimeoutMin(), c.electionTimeoutMax(), c.tls());
    var stranger = new io.pharos.controller.raft.RaftJournal(otherGroup, extra, dir.resolve("stranger"),
        cluster.leader().state(), errors());
    org.assertj.core.api.Assertions.assertThatThrownBy(stranger::start)
        .hasMessageContaining("did not accept each other's certificate");
  }

  private static io.pharos.controller.metrics.ErrorCounter errors() {
    return new io.pharos.controller.metrics.ControllerMetrics("test").errors();
  }

  private static java.net.http.HttpResponse<String> post(PharosController c, String path, String body, String token)
      throws Exception {
    return TestCluster.post(c, path, body, token);
  }

  @Test
  @Order(9)
  void anOperatorEvacuatesARegionStepByStepAbortsOneAndFailsBackTheOther() throws Exception {
    String token = cluster.operatorToken;
    await().atMost(Duration.ofSeconds(30)).until(() -> leader().state().pending() == null);
    if (leader().state().out().contains("c")) { // left out by test 7
      var back = post(leader(), "/v1/regions/c/failback", "{\"reason\":\"x\",\"force\":true}",
          token);
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    }
    // b (failed back by test 7) and c need the whole stabilisation window (recoverAfter, 30 s by
    // default) before they count as HEALTHY: wait well past it
    await().atMost(Duration.ofSeconds(90)).until(() -> leader().state().out().isEmpty()
        && leader().state().pending() == null && allHealthy(leader()));
    for (String[] bad : new String[][] {
        {"{not json", "bad JSON"},
        {"{\"reason\":\"x\",\"steps\":[50,75,0]}", "steps must go down"},
        {"{\"reason\":\"x\",\"steps\":[50,25]}", "the last step must be 0"},
        {"{\"reason\":\"x\",\"steps\":{\"a\":1}}", "field 'steps' must be a list"},
        {"{\"reason\":\"x\",\"hold\":\"soon\"}", "field 'hold'"},
        {"{\"reason\":\"x\",\"hold\":\"10ms\"}", "hold must be from 1s"},
        {"{\"steps\":[50,0]}", "field 'reason' is required"}}) {
      var r = post(leader(), "/v1/regions/a/evacuate", bad[0], token);
      assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(r.body()).as(bad[0]).contains(bad[1]);
    }
    assertThat(post(leader(), "/v1/regions/nowhere/evacuate", "{\"reason\":\"x\"}", token).body())
        .contains("unknown region 'nowhere'");
    assertThat(post(leader(), "/v1/regions/a/evacuate", "{\"reason\":\"x\"}", null).statusCode())
        .isEqualTo(401);

    // evacuate b slowly and abort it after the first step: the weights from before come back
    var r = post(leader(), "/v1/regions/b/evacuate", "{\"reason\":\"try\",\"steps\":[50,0],"
        + "\"hold\":\"1h\"}", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> weight(leader(), "b") == 15
        && leader().state().pending() == null);
    await().atMost(Duration.ofSeconds(5)).until(() -> !leader().view().status().get("evacuation").get("nextStepAt")
        .isNull()); // the status follows the decision loop's next step
    var status = leader().view().status().get("evacuation");
    assertThat(status.get("region").asText()).isEqualTo("b");
    assertThat(status.get("percent").asInt()).isEqualTo(50);
    assertThat(status.get("nextPercent").asInt()).isZero();
    assertThat(status.get("nextStepAt").asLong() - status.get("startedAt").asLong()).isGreaterThan(3_500_000);
    assertThat(post(leader(), "/v1/regions/b/failback", "{\"reason\":\"x\"}", token).body())
        .contains("being evacuated");
    assertThat(post(leader(), "/v1/regions/b/evacuate/abort", "{\"reason\":\"enough\"}",
        token).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> leader().state().evacuation() == null
        && weight(leader(), "b") == 30 && weight(leader(), "a") == 50);

    // evacuate a all the way out with a short hold, then fail it back on command
    r = post(leader(), "/v1/regions/a/evacuate", "{\"reason\":\"kernel\",\"steps\":[50,0],"
        + "\"hold\":\"1s\"}", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().state().evacuation() != null
        && leader().state().evacuation().phase() == io.pharos.core.journal.EvacuationPhase.EVACUATED
        && leader().state().pending() == null);
    assertThat(leader().state().zone().weights().get("app.pharos.test")).containsEntry("a", 0)
        .containsEntry("b", 60).containsEntry("c", 40);
    assertThat(leader().view().status().get("evacuation").get("phase").asText()).isEqualTo("EVACUATED");
    assertThat(answer(leader().dnsPort())).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3");
    assertThat(mode("a").mode()).as("an evacuation fences nothing").isEqualTo(Mode.READ_WRITE);
    r = post(leader(), "/v1/regions/a/failback", "{\"reason\":\"done\"}", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> leader().state().evacuation() == null
        && leader().state().pending() == null && weight(leader(), "a") == 50);
    assertThat(leader().view().status().get("evacuation").isNull()).isTrue();
    assertThat(events(EventType.ALERT).stream().map(PharosEvent::code).toList()).containsSubsequence(
        "EvacuationStarted", "EvacuationAborted", "EvacuationEnded", "EvacuationStarted", "Evacuated",
        "EvacuationEnded");
    assertThat(events(EventType.DECIDED).stream().filter(e -> e.detail().startsWith("EVACUATE"))).hasSize(3);
  }

  private static boolean allHealthy(PharosController c) {
    var regions = c.view().status().get("regions");
    for (var r : regions) {
      if (!"HEALTHY".equals(r.get("state").asText())) {
        return false;
      }
    }
    return true;
  }

  private static int weight(PharosController c, String region) {
    return c.state().zone().weights().get("app.pharos.test").getOrDefault(region, -1);
  }

  private ModeRecord mode(String region) {
    SignedModeRecord s = signedMode(region);
    return s == null ? null : s.record();
  }

  private SignedModeRecord signedMode(String region) {
    String s = cluster.client().<String, String>getMap(ClusterNames.MODES).get(region);
    return s == null ? null : ModeCodec.decode(s);
  }

  private java.util.List<PharosEvent> events(EventType type) {
    return leader().view().events(0).stream().filter(e -> e.type() == type).toList();
  }

  /**
   * The acting leader, waiting for one: on a loaded machine a leader can lose its lease for a
   * moment (no acting leader until it renews or another is elected).
   */
  private PharosController leader() {
    return await().atMost(Duration.ofSeconds(30)).until(cluster::leader, java.util.Objects::nonNull);
  }

  private static Set<String> answer(int port) throws Exception {
    SimpleResolver r = new SimpleResolver(new HostPort("127.0.0.1", port).host());
    r.setPort(port);
    Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("app.pharos.test."), Type.A, DClass.IN)));
    Set<String> out = new TreeSet<>();
    for (Record rec : m.getSection(Section.ANSWER)) {
      out.add(rec.rdataToString());
    }
    return out;
  }

  @Test
  @Order(10)
  void aRegionsKeyRotatesThroughTheJournalAndItsGraceSurvivesARestart() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> leader() != null);
    String body = "{\"reason\":\"yearly rotation\",\"grace\":\"1h\"}";
    assertThat(post(leader(), "/v1/keys/a/rotate", body, null).statusCode()).isEqualTo(401);
    assertThat(post(leader(), "/v1/keys/a/rotate", body, cluster.operatorToken).statusCode()).isEqualTo(403);
    var r = post(leader(), "/v1/keys/a/rotate", body, cluster.adminToken);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"generation\":2");
    for (PharosController c : cluster.controllers) {
      await().atMost(Duration.ofSeconds(10)).until(() -> c.state().regionKey("a").generation() == 2);
    }
    long validUntil = leader().state().regionKey("a").previousValidUntil();
    assertThat(leader().state().regionKey("b").generation()).isEqualTo(1);
    // the simulated agent of a still signs with generation 1: accepted during the grace, and alerted
    for (PharosController c : cluster.controllers) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(c.view().status().get("analyses")
          .toString()).contains("PreviousKeyInUse").contains("pharos keys derive --region a --generation 2"));
    }
    // a follower restarts: it reads the rotation and its grace from its log, not from its start
    String followerId = cluster.controllers.stream().filter(c -> !c.raft().isActingLeader()).findFirst()
        .orElseThrow().view().status().get("controller").asText();
    PharosController restarted = cluster.restart(followerId);
    await().atMost(Duration.ofSeconds(30)).until(() -> restarted.state().regionKey("a").generation() == 2);
    assertThat(restarted.state().regionKey("a").previousValidUntil()).isEqualTo(validUntil);
    await().atMost(Duration.ofSeconds(15)).until(() -> restarted.view().metrics()
        .contains("pharos_reports_previous_key_total{controller=\"" + followerId + "\",region=\"a\"}"));
    await().atMost(Duration.ofSeconds(15)).until(() -> allHealthy(restarted));
  }
}
