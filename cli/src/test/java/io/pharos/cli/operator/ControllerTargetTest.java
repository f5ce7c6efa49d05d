package io.pharos.cli.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pharos.testkit.proc.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControllerTargetTest {
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A controller that answers every call with {@code status} and {@code body}. */
  private String controller(int status, String body) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  private static ControllerTarget target() {
    ControllerTarget t = new ControllerTarget();
    t.token = "test-only-token-not-a-secret";
    return t;
  }

  @Test
  void aFirstControllerThatDoesNotAnswerDoesNotStopTheCall() throws Exception {
    ControllerTarget t = target();
    String down = "http://127.0.0.1:" + Ports.free();
    String follower = controller(409, "{\"error\":\"controller c-2 is not the acting leader (leader: c-3)\"}");
    String leader = controller(200, "{\"committed\":true,\"token\":\"3:7\"}");
    t.api = List.of(down, follower, leader);
    ControllerTarget.Answer a = t.postToLeader("/v1/automation/pause", ControllerTarget.body("reason", "x"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.url()).isEqualTo(leader);
  }

  @Test
  void aFollowersLeaderHintIsFollowedAndTheSilentOnesAreNamed() throws Exception {
    ControllerTarget t = target();
    String down = "http://127.0.0.1:" + Ports.free();
    String leader = controller(200, "{\"committed\":true,\"token\":\"3:7\"}");
    String follower = controller(409, "{\"error\":\"controller c-2 is not the acting leader (leader: c-3)\","
        + "\"leader\":\"c-3\",\"leaderApi\":\"" + leader + "\"}");
    t.api = List.of(down, follower);
    ControllerTarget.Answer a = t.postToLeader("/v1/automation/pause", ControllerTarget.body("reason", "x"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.url()).isEqualTo(leader);
    assertThat(a.unreachable()).containsExactly(down);
  }

  @Test
  void noControllerAnsweringNamesEveryOne() {
    ControllerTarget t = target();
    String a1 = "http://127.0.0.1:" + Ports.free();
    String a2 = "http://127.0.0.1:" + Ports.free();
    t.api = List.of(a1, a2);
    ControllerTarget.Answer a = t.postToLeader("/v1/automation/pause", ControllerTarget.body("reason", "x"));
    assertThat(a.status()).isZero();
    assertThat(a.unreachable()).containsExactly(a1, a2);
  }
}
