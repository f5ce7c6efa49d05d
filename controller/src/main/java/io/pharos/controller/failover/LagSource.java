package io.pharos.controller.failover;

import io.pharos.core.decision.ReplicationLag;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the replication lag from {@code policy.replicationLagSource} before a promotion: one GET,
 * answered by a number of seconds or {@code {"lagSeconds": n}} ({@link ReplicationLag#parse}).
 * Blocking (the operator call runs off the event loop); any failure is a lag not read, with why.
 */
public final class LagSource {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .version(HttpClient.Version.HTTP_1_1).build();

  private LagSource() {}

  /** The lag {@code source} answers now; null {@code source} is a lag not read (none configured). */
  public static ReplicationLag read(URI source) {
    if (source == null) {
      return ReplicationLag.unread("no policy.replicationLagSource is configured");
    }
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(source).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return ReplicationLag.unread(source + " answered HTTP " + r.statusCode());
      }
      return ReplicationLag.parse(r.body(), source.toString());
    } catch (IOException e) {
      return ReplicationLag.unread(source + " does not answer: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ReplicationLag.unread("interrupted while reading " + source);
    }
  }
}
