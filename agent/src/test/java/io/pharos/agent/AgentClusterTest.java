package io.pharos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.pharos.agent.TestCluster.Received;
import io.pharos.agent.mode.ModeView;
import io.pharos.agent.mode.ModeWatcher;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.Observation;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordVerifier;
import io.pharos.core.wire.ReportVerifier;
import io.pharos.testkit.attack.ModeRecordForger;
import io.pharos.testkit.attack.Outsider;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.config.TestModeRecords;
import io.pharos.testkit.proc.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.pharos.testkit.metrics.PromText;
import org.junit.jupiter.api.Test;

/**
 * Agents against a real Hazelcast member (the controllers' side of the contract): signed reports
 * on {@code pharos.reports}, edge-triggered flips with confirmation probes, and {@code /v1/mode}
 * following the signed records broadcast on {@code pharos.mode.records} and left in the {@code pharos.mode} map.
 */
class AgentClusterTest {
  /** Heartbeat far above the confirmation cadence: anything arriving sooner was edge-triggered. */
  static final String PROBES = "{ interval: 1s, timeout: 500ms, confirmAfter: 250ms, jitter: 200ms, "
      + "downAfter: 3, upAfter: 3, heartbeat: 5s }";
  static final HostPort ANY_PORT = new HostPort("127.0.0.1", 0);
  static Vertx vertx;
  static TestHttpServer http;
  static TcpListener tcp;
  static HazelcastInstance member;
  static int hzPort;
  static PharosConfig config;
  static final List<Received> inbox = TestCluster.newInbox();

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    http = TestHttpServer.start();
    tcp = new TcpListener();
    hzPort = Ports.free();
    member = TestCluster.member("pharos-e2e", hzPort);
    TestCluster.collect(member, inbox);
    config = TestConfigs.twoRegions("pharos-e2e", http.port(), tcp.port(), hzPort, PROBES, "{ writePrimary: a }");
  }

  @AfterAll
  static void tearDown() throws Exception {
    member.shutdown();
    http.close();
    tcp.close();
    TestFutures.done(vertx.close());
  }

  @Test
  void reports_are_signed_and_a_flip_is_reported_at_once_then_confirmed() {
    PharosAgent agent = new PharosAgent(TestConfigs.forAgent(config, "b"), AgentOptions.of("e2e-flip", "b", ANY_PORT), vertx, Clock.systemUTC());
    try {
      TestFutures.done(agent.start());
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().ready());
      assertThat(AgentHttp.get(agent.httpPort(), "/ready").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(20)).until(() -> !TestCluster.from(inbox, "e2e-flip").isEmpty());

      long flippedAt = System.currentTimeMillis();
      http.app(500, "broken");
      await().atMost(Duration.ofSeconds(20)).until(() -> failures(TestCluster.from(inbox, "e2e-flip")).size() >= 3);
      List<Delivered> failed = failures(TestCluster.from(inbox, "e2e-flip")).subList(0, 3);
      for (Delivered d : failed) {
        assertThat(d.observation().failure()).isEqualTo(io.pharos.core.model.FailureKind.STATUS);
        assertThat(d.deliveryMillis()).as("edge-triggered, not held for the 5 s heartbeat").isLessThan(2000);
      }
      long gap1 = failed.get(1).observation().at() - failed.get(0).observation().at();
      long gap2 = failed.get(2).observation().at() - failed.get(1).observation().at();
      assertThat(List.of(gap1, gap2)).as("confirmation probes come confirmAfter later, not an interval")
          .allSatisfy(g -> assertThat(g).isLessThan(900));
      assertThat(agent.status().edgeReports()).isGreaterThanOrEqualTo(3);
      System.out.printf("[measure] fault -> first failing report on the topic: %d ms; probe end -> topic: %s ms;"
          + " confirmation gaps: %d, %d ms%n", failed.get(0).receivedAt() - flippedAt,
          failed.stream().map(Delivered::deliveryMillis).toList(), gap1, gap2);

      PromText metrics = PromText.parse(AgentHttp.text(agent.httpPort(), "/metrics"));
      assertThat(metrics.value("pharos_agent_probes_total", "region", "a", "endpoint", "app", "outcome", "status")
          .orElseThrow()).as("the 500s counted by outcome").isGreaterThanOrEqualTo(3);
      assertThat(metrics.value("pharos_agent_connected")).contains(1.0);
      assertThat(metrics.value("pharos_agent_reports_sent_total").orElseThrow()).isGreaterThanOrEqualTo(3);
      assertThat(metrics.value("pharos_agent_reports_edge_total").orElseThrow()).isGreaterThanOrEqualTo(3);
      assertThat(metrics.value("pharos_agent_reports_dropped_total")).contains(0.0);

      http.app(200, "ok");
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().lastResults().get(0).ok());

      ReportVerifier verifier = new ReportVerifier(config, region -> io.pharos.core.journal.RegionKeyState.INITIAL);
      for (Received r : TestCluster.from(inbox, "e2e-flip")) {
        ReportVerifier.Result result = verifier.verify(r.frame(), r.receivedAt());
        assertThat(result).isInstanceOf(ReportVerifier.Accepted.class);
        assertThat(((ReportVerifier.Accepted) result).late()).isFalse();
        assertThat(((ReportVerifier.Accepted) result).droppedObservations()).isZero();
      }
    } finally {
      TestFutures.done(agent.stop());
    }
  }

  @Test
  void mode_follows_the_map_ignores_older_tokens_and_the_primary_self_fences_after_its_lease() {
    PharosAgent agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("e2e-mode", "a", ANY_PORT), vertx, Clock.systemUTC());
    IMap<String, String> modes = member.getMap(ModeWatcher.MAP);
    try {
      TestFutures.done(agent.start());
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().transport().connected());
      assertThat(mode(agent).getString("reason")).isEqualTo("no mode lease yet");

      long put = System.nanoTime();
      modes.put("a", record(Mode.READ_WRITE, 1, 1, 60_000));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> agent.mode().token().equals(new FencingToken(1, 1)));
      long followMs = (System.nanoTime() - put) / 1_000_000;
      JsonObject rw = mode(agent);
      assertThat(rw.getString("mode")).isEqualTo("read-write");
      assertThat(rw.getString("token")).isEqualTo("1:1");
      assertThat(rw.getLong("leaseRemainingMillis")).isBetween(1L, 60_000L);
      assertThat(rw.getBoolean("selfFenced")).isFalse();

      modes.put("a", record(Mode.READ_ONLY, 2, 5, 60_000));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.mode().mode() == Mode.READ_ONLY
          && agent.mode().token().equals(new FencingToken(2, 5)));
      assertThat(mode(agent).getString("reason")).isEqualTo("test 2:5");

      modes.put("a", record(Mode.READ_WRITE, 1, 9, 60_000));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().modeRecordsIgnored() == 1);
      assertThat(mode(agent).getString("mode")).as("an older token is fenced out").isEqualTo("read-only");
      assertThat(mode(agent).getString("token")).isEqualTo("2:5");

      modes.put("a", record(Mode.READ_WRITE, 3, 1, 1500));
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.mode().mode() == Mode.READ_WRITE);
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.mode().selfFenced());
      JsonObject fenced = mode(agent);
      assertThat(fenced.getString("mode")).isEqualTo("read-only");
      assertThat(fenced.getString("reason")).isEqualTo("mode lease expired: self-fenced");
      assertThat(fenced.getString("token")).isEqualTo("3:1");
      assertThat(fenced.getLong("leaseRemainingMillis")).isZero();

      modes.put("a", record(Mode.READ_WRITE, 3, 1, 1500)); // the controllers renew the same decision
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.mode().mode() == Mode.READ_WRITE);
      System.out.printf("[measure] mode map put -> agent view: %d ms%n", followMs);
    } finally {
      TestFutures.done(agent.stop());
      modes.remove("a");
    }
  }

  @Test
  void a_record_written_before_the_agent_started_is_read_on_connect() {
    IMap<String, String> modes = member.getMap(ModeWatcher.MAP);
    modes.put("b", TestModeRecords.json("pharos-e2e", "b", Mode.READ_ONLY, 7, 7, 60_000, "fenced"));
    PharosAgent agent = new PharosAgent(TestConfigs.forAgent(config, "b"), AgentOptions.of("e2e-late", "b", ANY_PORT), vertx, Clock.systemUTC());
    try {
      TestFutures.done(agent.start());
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.mode().token().equals(new FencingToken(7, 7)));
      ModeView v = agent.mode();
      assertThat(v.mode()).isEqualTo(Mode.READ_ONLY);
      assertThat(v.reason()).isEqualTo("fenced");
    } finally {
      TestFutures.done(agent.stop());
      modes.remove("b");
    }
  }

  @Test
  void forged_records_are_refused_and_the_real_fence_lands_by_broadcast() throws Exception {
    PharosAgent agent = new PharosAgent(TestConfigs.forAgent(config, "b"), AgentOptions.of("e2e-forged", "b", ANY_PORT), vertx,
        Clock.systemUTC());
    ITopic<String> broadcast = member.getTopic(ModeWatcher.TOPIC);
    try (Outsider outsider = Outsider.connect("pharos-e2e", List.of("127.0.0.1:" + hzPort))) {
      TestFutures.done(agent.start());
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().transport().connected());
      String real = TestModeRecords.json("pharos-e2e", "b", Mode.READ_WRITE, 1, 1, 60_000, "serving");
      // the listener is registered once connected: broadcast until the agent has it
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
        broadcast.publish(real);
        return agent.mode().token().equals(new FencingToken(1, 1));
      });

      ModeRecordForger forger = new ModeRecordForger(outsider, "pharos-e2e");
      forger.plantAll("b", Mode.READ_ONLY, agent.mode().record().keyId());
      forger.plant("b", forger.tampered(real));
      forger.plantObject("b");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().modeRecordsRejected() >= 4 * 2
          && agent.status().modeRecordsMalformed() >= 2 * 2);
      JsonObject held = mode(agent);
      assertThat(held.getString("mode")).as("no forgery fenced the region").isEqualTo("read-write");
      assertThat(held.getString("token")).isEqualTo("1:1");

      long fencedAt = System.nanoTime();
      broadcast.publish(TestModeRecords.json("pharos-e2e", "b", Mode.READ_ONLY, 2, 1, 60_000, "RegionDown d-2"));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
          .until(() -> agent.mode().token().equals(new FencingToken(2, 1)));
      System.out.printf("[measure] broadcast -> agent view after %d forged records: %d ms%n",
          agent.status().modeRecordsRejected() + agent.status().modeRecordsMalformed(),
          (System.nanoTime() - fencedAt) / 1_000_000);
      assertThat(mode(agent).getString("mode")).as("the real fence lands after the forgeries").isEqualTo("read-only");
    } finally {
      TestFutures.done(agent.stop());
      member.getMap(ModeWatcher.MAP).remove("b");
    }
  }

  @Test
  void an_application_verifies_the_mode_it_is_served_with_the_jdk_alone() throws Exception {
    PharosAgent agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("e2e-app", "a", ANY_PORT), vertx, Clock.systemUTC());
    IMap<String, String> modes = member.getMap(ModeWatcher.MAP);
    modes.put("a", record(Mode.READ_ONLY, 6, 2, 60_000));
    try {
      TestFutures.done(agent.start());
      await().atMost(Duration.ofSeconds(20)).until(() -> agent.mode().token().equals(new FencingToken(6, 2)));
      JsonObject answer = mode(agent);
      JsonObject r = answer.getJsonObject("record");
      assertThat(answer.getString("keyId")).isEqualTo(r.getString("keyId"));
      assertThat(answer.getString("signature")).isEqualTo(r.getString("sig"));
      assertThat(r.getString("token")).isEqualTo(answer.getString("token"));
      // what docs/security/mode-records.md tells an application to do
      String signed = String.join("\n", "pharos-mode-record/v1", r.getString("group"), r.getString("region"),
          r.getString("mode"), r.getString("token"), Long.toString(r.getLong("leaseMillis")),
          Long.toString(r.getLong("issuedTerm")), Long.toString(r.getLong("issuedAt")), r.getString("keyId"),
          r.getString("reason"));
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
          Base64.getDecoder().decode(Ed25519.base64(TestConfigs.CONTROLLER_KEYS.getPublic()))));
      Signature verify = Signature.getInstance("Ed25519");
      verify.initVerify(key);
      verify.update(signed.getBytes(StandardCharsets.UTF_8));
      assertThat(verify.verify(Base64.getDecoder().decode(r.getString("sig")))).isTrue();
      assertThat(new ModeRecordVerifier("pharos-e2e", config.controllerKeys().trusted())
          .verify(ModeCodec.decode(r.encode()))).isEqualTo(ModeRecordVerifier.Verdict.VALID);
    } finally {
      TestFutures.done(agent.stop());
      modes.remove("a");
    }
  }

  record Delivered(Observation observation, long receivedAt) {
    long deliveryMillis() {
      return receivedAt - observation.at();
    }
  }

  /** Failed observations of a/app, in the order they were received. */
  static List<Delivered> failures(List<Received> received) {
    List<Delivered> out = new ArrayList<>();
    for (Received r : received) {
      for (Observation o : r.report().observations()) {
        if (o.targetRegion().equals("a") && o.endpointId().equals("app") && !o.ok()) {
          out.add(new Delivered(o, r.receivedAt()));
        }
      }
    }
    return out;
  }

  /** A record of region a, signed as the test configs' controllers sign, issued now. */
  static String record(Mode mode, long term, long index, long lease) {
    return TestModeRecords.json("pharos-e2e", "a", mode, term, index, lease, "test " + term + ":" + index);
  }

  static JsonObject mode(PharosAgent agent) {
    AgentHttp.Answer a = AgentHttp.get(agent.httpPort(), "/v1/mode");
    assertThat(a.status()).isEqualTo(200);
    return a.json();
  }
}
