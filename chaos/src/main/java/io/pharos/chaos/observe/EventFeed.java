package io.pharos.chaos.observe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the controllers' shared timeline ({@code GET /v1/events}) from whichever controller
 * answers, returning each event once. Every controller serves the same replicated timeline, so
 * losing one (or the leader) loses nothing.
 */
public final class EventFeed {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final List<String> apiUrls;
  private final String token;
  private volatile int preferred;
  private final long since;
  private final Set<String> seen = new HashSet<>();
  private final List<PharosEvent> all = new ArrayList<>();

  /**
   * @param apiUrls controllers' base URLs
   * @param since only events at or after this time (epoch millis)
   * @param token a viewer (or higher) API token; never logged
   */
  public EventFeed(List<String> apiUrls, long since, String token) {
    this.apiUrls = List.copyOf(apiUrls);
    this.since = since;
    this.token = token;
  }

  /** New events since the last poll, oldest first; empty when no controller answers. */
  public List<PharosEvent> poll() {
    for (int i = 0; i < apiUrls.size(); i++) {
      int at = (preferred + i) % apiUrls.size();
      String url = apiUrls.get(at);
      Optional<Http.Response> r = Http.get(url + "/v1/events?since=" + since, token);
      if (r.isEmpty() || r.get().status() != 200) {
        continue;
      }
      preferred = at; // ask the one that answered first next time: a frozen controller costs a timeout
      List<PharosEvent> fresh = new ArrayList<>();
      for (String line : r.get().body().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          PharosEvent e = MAPPER.readValue(line, PharosEvent.class);
          if (seen.add(e.at() + "|" + e.type() + "|" + e.decisionId() + "|" + e.region() + "|" + e.code() + "|"
              + e.detail())) {
            fresh.add(e);
          }
        } catch (IOException ex) {
          throw new IllegalStateException("unreadable event from " + url + ": " + line, ex);
        }
      }
      all.addAll(fresh);
      return fresh;
    }
    return List.of();
  }

  public List<PharosEvent> all() {
    return List.copyOf(all);
  }
}
