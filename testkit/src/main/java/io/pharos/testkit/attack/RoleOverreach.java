package io.pharos.testkit.attack;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A holder of a low token (a viewer's, as a dashboard or the drill runner has) trying what needs
 * more: operator calls (failover, pause, evacuate, approve) and admin calls (membership, the token
 * list). Each should get 403 and change nothing.
 */
public final class RoleOverreach {
  /** Method and path to the body sent (each with a reason, so only the role can be the refusal). */
  public static final Map<String, String> CALLS = calls();
  private final String apiUrl;
  private final String token;

  /** @param token the low token (never logged) */
  public RoleOverreach(String apiUrl, String token) {
    this.apiUrl = apiUrl;
    this.token = token;
  }

  private static Map<String, String> calls() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("POST /v1/regions/a/failover", "{\"reason\":\"overreach\"}");
    m.put("POST /v1/regions/a/evacuate", "{\"reason\":\"overreach\"}");
    m.put("POST /v1/automation/pause", "{\"reason\":\"overreach\"}");
    m.put("POST /v1/decisions/any/approve", "{\"reason\":\"overreach\"}");
    m.put("POST /v1/controllers/members", "{\"reason\":\"overreach\",\"members\":[{\"id\":\"x\",\"raft\":\"127.0.0.1:1\"},"
        + "{\"id\":\"y\",\"raft\":\"127.0.0.1:2\"},{\"id\":\"z\",\"raft\":\"127.0.0.1:3\"}]}");
    m.put("GET /v1/tokens", null);
    return m;
  }

  /** Each call with the status it got. */
  public Map<String, Integer> run() {
    Map<String, Integer> out = new LinkedHashMap<>();
    CALLS.forEach((call, body) -> {
      String[] mp = call.split(" ", 2);
      HttpRequest.Builder b = ApiProbe.request(apiUrl + mp[1]).header("Authorization", "Bearer " + token);
      if (body == null) {
        b.GET();
      } else {
        b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      }
      out.put(call, ApiProbe.send(b).status());
    });
    return out;
  }
}
