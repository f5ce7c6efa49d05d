package io.pharos.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.alert.AlertNotice;
import io.pharos.core.alert.AlertPayloads;
import io.pharos.core.config.AlertsConfig.Receiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends one alert change to one receiver in its format over HTTP (java.net.http, called on the
 * receiver's own delivery thread, never on an event loop or the decision thread). The outcome
 * names what to do next; a detail for the log that never holds the URL or the routing key
 * (both can be secrets).
 */
final class Notifier {
  /** What one attempt came to. */
  enum Outcome {
    DELIVERED,
    /** Connection failure, timeout, 429 or 5xx: worth another attempt. */
    RETRY,
    /** Any other answer: the receiver refuses this payload; another attempt would too. */
    REJECTED
  }

  record Attempt(Outcome outcome, String detail) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Receiver receiver;
  private final URI uri;
  private final String routingKey;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param secret the resolved Slack webhook URL or PagerDuty routing key, or null
   */
  Notifier(Receiver receiver, String secret, Duration timeout) {
    this.receiver = receiver;
    this.timeout = timeout;
    this.routingKey = receiver.type() == io.pharos.core.config.AlertsConfig.ReceiverType.PAGERDUTY ? secret : null;
    this.uri = switch (receiver.type()) {
      case SLACK -> URI.create(secret != null ? secret : receiver.url());
      case PAGERDUTY -> URI.create(receiver.url());
      case ALERTMANAGER -> URI.create(receiver.url().replaceAll("/+$", "") + "/api/v2/alerts");
    };
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Receiver receiver() {
    return receiver;
  }

  /** The body this receiver gets for {@code n}. */
  JsonNode body(AlertNotice n) {
    return switch (receiver.type()) {
      case SLACK -> AlertPayloads.slack(n);
      case PAGERDUTY -> AlertPayloads.pagerDuty(n, routingKey);
      case ALERTMANAGER -> AlertPayloads.alertmanager(java.util.List.of(n));
    };
  }

  Attempt send(AlertNotice n) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
          .header("User-Agent", "pharos-controller").POST(HttpRequest.BodyPublishers.ofByteArray(
              JSON.writeValueAsBytes(body(n)))).build();
    } catch (IOException e) {
      return new Attempt(Outcome.REJECTED, "could not encode the payload: " + e.getMessage());
    }
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Attempt(Outcome.DELIVERED, "HTTP " + status);
      }
      return new Attempt(status == 429 || status >= 500 ? Outcome.RETRY : Outcome.REJECTED, "HTTP " + status);
    } catch (IOException e) {
      return new Attempt(Outcome.RETRY, e.getClass().getSimpleName() + (e.getMessage() == null ? ""
          : ": " + redact(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(Outcome.RETRY, "interrupted");
    }
  }

  /** An exception message may quote the URL: a Slack webhook URL is a secret. */
  private String redact(String message) {
    return receiver.type() == io.pharos.core.config.AlertsConfig.ReceiverType.SLACK
        ? message.replace(uri.toString(), "<webhook>").replace(uri.getPath() == null ? "\0" : uri.getPath(), "/<path>")
        : message;
  }
}
