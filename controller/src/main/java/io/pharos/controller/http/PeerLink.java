package io.pharos.controller.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.http.breakglass.BreakGlass;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.security.TrustedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller calling another controller's API (the leader, for a break-glass use), over
 * TLS with the API's CA when the API has TLS. Also where a follower's 409 points callers to.
 */
public final class PeerLink implements BreakGlass.LeaderLink {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
  private final List<ControllerPeer> peers;
  private final String scheme;
  private final HttpClient http;

  public PeerLink(List<ControllerPeer> peers, ApiConfig api) {
    this.peers = List.copyOf(peers);
    this.scheme = api.scheme();
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1);
    if (api.tls() != null && api.tls().caFile() != null) {
      try {
        b.sslContext(TrustedCa.sslContext(Files.readString(Path.of(api.tls().caFile()))));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the API CA file " + api.tls().caFile() + ": " + e.getMessage());
      }
    }
    this.http = b.build();
  }

  /** The base URL of a controller's API ({@code https://host:port}). */
  public Optional<String> apiUrl(String controllerId) {
    return peers.stream().filter(p -> p.id().equals(controllerId)).findFirst()
        .map(p -> scheme + "://" + p.api());
  }

  @Override
  public boolean forward(String leaderId, ObjectNode use) {
    Optional<String> url = apiUrl(leaderId);
    if (url.isEmpty()) {
      return false;
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.get() + "/v1/breakglass/record"))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(use.toString())).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        LOG.warn("the leader {} did not journal a break-glass use: HTTP {}", leaderId, r.statusCode());
      }
      return r.statusCode() == 200;
    } catch (IOException e) {
      LOG.warn("the leader {} did not answer a break-glass use: {}", leaderId, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
