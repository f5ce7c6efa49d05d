package io.pharos.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.ProbeSettings;
import java.time.Duration;

/**
 * A region's capacity headroom as its agents carry it in their reports: an {@link Observation} of
 * the reserved endpoint {@value #ENDPOINT} (no configured endpoint id can start with '@') of the
 * agent's own region, its status field holding the headroom in whole percent (0..100). Report wire
 * version 2 carries it unchanged, so agents and controllers of either side of this change still
 * understand each other (an older controller drops it as an unknown endpoint, counted).
 */
public final class Capacity {
  /** The endpoint id of capacity observations. */
  public static final String ENDPOINT = "@capacity";
  /** Capacity changes slowly: probed at most this often, whatever the probe interval. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Capacity() {}

  /** How often agents read their region's capacity endpoint. */
  public static Duration interval(ProbeSettings probes) {
    return probes.interval().compareTo(MIN_INTERVAL) > 0 ? probes.interval() : MIN_INTERVAL;
  }

  public static boolean isCapacity(Observation o) {
    return ENDPOINT.equals(o.endpointId());
  }

  /** A successful reading of {@code region}'s headroom. */
  public static Observation reading(String region, int headroomPercent, int latencyMicros, long at) {
    if (headroomPercent < 0 || headroomPercent > 100) {
      throw new IllegalArgumentException("headroom must be 0..100 %, was " + headroomPercent);
    }
    return Observation.up(region, ENDPOINT, latencyMicros, headroomPercent, at);
  }

  /** The headroom an ok capacity observation carries. */
  public static int headroomPercent(Observation o) {
    return o.status();
  }

  /**
   * Parses a capacity endpoint's answer, JSON {@code {"headroomPercent": 35}} (a number from 0 to
   * 100, rounded to whole percent).
   *
   * @throws IllegalArgumentException saying what was wrong
   */
  public static int parse(String body) {
    JsonNode j;
    try {
      j = MAPPER.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON; expected {\"headroomPercent\": n}");
    }
    JsonNode h = j == null ? null : j.get("headroomPercent");
    if (h == null || !h.isNumber()) {
      throw new IllegalArgumentException("no number 'headroomPercent'; expected {\"headroomPercent\": n}");
    }
    double d = h.asDouble();
    if (d < 0 || d > 100 || Double.isNaN(d)) {
      throw new IllegalArgumentException("headroomPercent must be 0..100, was " + h.asText());
    }
    return (int) Math.round(d);
  }
}
