package io.pharos.core.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A replication lag as a lag source answers it ({@code policy.replicationLagSource}, a drill's
 * {@code rpo.lagSource}): a bare number of seconds, or JSON {@code {"lagSeconds": n}}. Either the
 * seconds or why there are none.
 *
 * @param seconds the lag, or NaN when it was not read
 * @param problem why it was not read, or null
 */
public record ReplicationLag(double seconds, String problem) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static ReplicationLag of(double seconds) {
    return new ReplicationLag(seconds, null);
  }

  public static ReplicationLag unread(String problem) {
    return new ReplicationLag(Double.NaN, problem);
  }

  public boolean read() {
    return problem == null;
  }

  /** Parses a lag source's answer; {@code source} names it in the problem. */
  public static ReplicationLag parse(String body, String source) {
    String text = body == null ? "" : body.strip();
    double s = Double.NaN;
    try {
      JsonNode j = MAPPER.readTree(text);
      if (j != null && j.isNumber()) {
        s = j.asDouble();
      } else if (j != null && j.path("lagSeconds").isNumber()) {
        s = j.path("lagSeconds").asDouble();
      }
    } catch (JsonProcessingException e) {
      // not JSON: perhaps a plain number such as "1.5" with trailing text, tried below
    }
    if (Double.isNaN(s)) {
      try {
        s = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return unread(source + " answered neither a number nor {\"lagSeconds\": n}");
      }
    }
    if (s < 0 || Double.isInfinite(s) || Double.isNaN(s)) {
      return unread(source + " answered a lag of " + text + " s: not a number of seconds from 0 up");
    }
    return of(s);
  }
}
