package io.pharos.cli.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.proc.Ports;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControllerTargetTest {
  private final JsonEndpoints endpoints = new JsonEndpoints();

  @AfterEach
  void stop() {
    endpoints.close();
  }

  /** A controller that answers every call with {@code status} and {@code body}. */
  private String controller(int status, String body) throws Exception {
    return endpoints.answering(status, body);
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
