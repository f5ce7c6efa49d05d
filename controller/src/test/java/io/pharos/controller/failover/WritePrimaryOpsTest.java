package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.journal.Proposal;
import io.pharos.core.journal.WritePrimaryPromoted;
import io.pharos.core.model.Mode;
import io.pharos.testkit.config.TestConfigs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pharos readonly} and {@code pharos promote} on the acting leader: journaled, published, lag-checked. */
class WritePrimaryOpsTest {
  @TempDir
  Path dir;
  HttpServer lagSource;
  final AtomicReference<String> lag = new AtomicReference<>("12");
  FailoverFixture f;
  Operations ops;

  static PharosConfig config(String policy) {
    return TestConfigs.threeRegionsAnd("policy: " + policy);
  }

  @BeforeEach
  void setUp() throws Exception {
    lagSource = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    lagSource.createContext("/lag", x -> {
      byte[] body = lag.get().getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    lagSource.start();
    f = new FailoverFixture(dir, config("{ writePrimary: a, rpo: 30s, replicationLagSource: \"http://127.0.0.1:"
        + lagSource.getAddress().getPort() + "/lag\" }"), null);
    ops = new Operations(f.config, "c1", f.clock, f.journal, f.journal, f.embeddedExecutor(), () -> null);
    f.journal.becomeLeader();
  }

  @AfterEach
  void close() throws Exception {
    f.close();
    lagSource.stop(0);
  }

  @Test
  void readOnlyIsJournaledAndPublishedAtOnceWithItsOwnToken() throws Exception {
    Proposal p = ops.readOnly("c", true, "alice", "schema migration").get();
    assertThat(p.accepted()).as(p.detail()).isTrue();
    awaitPublished("c", Mode.READ_ONLY);
    assertThat(f.journal.state().modes().get("c").token().index()).isEqualTo(p.index());
    assertThat(ops.readOnly("c", false, "alice", "done").get().accepted()).isTrue();
    awaitPublished("c", Mode.READ_WRITE);
    assertThatThrownBy(() -> ops.readOnly("a", false, "alice", "x")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessageContaining("pharos promote a");
  }

  @Test
  void promotionReadsTheLagAndIsRefusedAboveTheRpoUnlessForced() throws Exception {
    lag.set("{\"lagSeconds\": 95}");
    assertThatThrownBy(() -> ops.promote("b", false, "root", "a is gone")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessageContaining("replication lag 95.0 s exceeds the RPO of 30 s");
    assertThat(f.journal.proposed()).isEmpty();
    lag.set("4.5");
    Proposal p = ops.promote("b", false, "root", "a is gone").get();
    assertThat(p.accepted()).as(p.detail()).isTrue();
    assertThat(f.journal.state().promotedPrimary()).isEqualTo("b");
    assertThat(f.journal.proposed()).last().isInstanceOfSatisfying(WritePrimaryPromoted.class,
        w -> assertThat(w.lagSeconds()).isEqualTo(4.5));
    awaitPublished("a", Mode.READ_ONLY);
    lagSource.stop(0);
    assertThatThrownBy(() -> ops.promote("c", false, "root", "x")).hasMessageContaining("replication lag is unknown");
    assertThat(ops.promote("c", true, "root", "we know").get().accepted()).isTrue();
    assertThat(f.journal.state().promotedPrimary()).isEqualTo("c");
  }

  private void awaitPublished(String region, Mode mode) throws InterruptedException {
    org.awaitility.Awaitility.await("modes published with " + region + " " + mode).atMost(Duration.ofSeconds(10))
        .until(() -> f.modes.published.stream().anyMatch(s -> s.modes().get(region).mode() == mode
            && s.modes().get(region).equals(f.journal.state().modes().get(region))));
  }
}
