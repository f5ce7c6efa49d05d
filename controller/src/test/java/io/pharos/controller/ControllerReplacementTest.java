package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.proc.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented replacement procedure, once: a controller is lost for good; a new one starts
 * with {@code --join}; the leader changes the Raft members; the new one catches up and the group
 * keeps failing over.
 */
class ControllerReplacementTest {
  @TempDir
  Path dir;

  @Test
  void replacesALostControllerThroughARaftConfigurationChange() throws Exception {
    try (TestCluster cluster = new TestCluster(dir)) {
      cluster.startAgents();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null);
      PharosController lost = cluster.byId("c-c");
      if (lost == cluster.leader()) {
        lost = cluster.byId("c-b");
      }
      String lostId = lost.view().status().get("controller").asText();
      lost.close();
      cluster.controllers.remove(lost);

      ControllersConfig old = cluster.config.controllers();
      ControllerPeer fresh = new ControllerPeer("c-d", "c", hp(), hp(), hp(), hp());
      List<ControllerPeer> peers = new ArrayList<>(old.peers().stream().filter(p -> !p.id().equals(lostId)).toList());
      peers.add(fresh);
      PharosConfig cfg = new PharosConfig(cluster.config.environment(), cluster.config.regions(), cluster.config.dns(),
          new ControllersConfig(old.group(), peers, old.storageDir(), old.electionTimeoutMin(), old.electionTimeoutMax(),
              old.tls()),
          cluster.config.probes(), cluster.config.policy(), cluster.config.security(), cluster.config.controllerKeys());
      cluster.issue("c-d", fresh.raft().host());
      PharosController joined = PharosController.start(cfg,
          new ControllerOptions("c-d", dir, true), Clock.systemUTC());
      cluster.controllers.add(joined);

      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null);
      StringBuilder members = new StringBuilder("{\"reason\":\"c-c lost for good\",\"members\":[");
      for (int i = 0; i < peers.size(); i++) {
        members.append(i == 0 ? "" : ",").append("{\"id\":\"").append(peers.get(i).id()).append("\",\"raft\":\"")
            .append(peers.get(i).raft()).append("\"}");
      }
      members.append("]}");
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + cluster.leader().apiPort() + "/v1/controllers/members"))
          .POST(HttpRequest.BodyPublishers.ofString(members.toString()))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + cluster.adminToken).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

      PharosController leader = cluster.leader();
      await().atMost(Duration.ofSeconds(30)).until(() -> joined.raft().lastAppliedIndex() >= 1
          && joined.state().zone().equals(leader.state().zone()));
      assertThat(leader.raft().currentMembers()).extracting(p -> p.getId().toString())
          .containsExactlyInAnyOrder(peers.stream().map(ControllerPeer::id).toArray(String[]::new));
      // the change is journaled with who and why, before and after it was made
      await().atMost(Duration.ofSeconds(10)).until(() -> joined.state().events().stream()
          .anyMatch(e -> "MembershipChange".equals(e.code()) && e.detail().startsWith("controllers changed by test")));
      assertThat(joined.state().events()).filteredOn(e -> "MembershipChange".equals(e.code()))
          .extracting(e -> e.detail()).first().asString().startsWith("controllers change requested by test")
          .endsWith(": c-c lost for good");

      cluster.dead.add("b");
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.controllers.stream()
          .allMatch(c -> c.state().zone().weights().get("app.pharos.test").get("b") == 0));
    }
  }

  private static HostPort hp() {
    return new HostPort("127.0.0.1", Ports.free());
  }
}
