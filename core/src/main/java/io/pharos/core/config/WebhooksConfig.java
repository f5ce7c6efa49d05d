package io.pharos.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where mode changes are pushed ({@code webhooks}): each receiver with its own HMAC secret, named by
 * an environment variable or a file the controllers read at start (agents never need them).
 *
 * @param receivers the receivers, in config order
 * @param attempts tries per delivery, the first included, before it is given up (and counted)
 * @param backoff wait before the first retry; doubled for each next one
 * @param maxBackoff the longest wait between two tries
 * @param timeout one try's connect-and-answer deadline
 */
public record WebhooksConfig(List<Receiver> receivers, int attempts, Duration backoff, Duration maxBackoff,
    Duration timeout) {
  public static final int DEFAULT_ATTEMPTS = 6;
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public WebhooksConfig {
    receivers = List.copyOf(receivers);
  }

  /** No receivers. */
  public static WebhooksConfig none() {
    return new WebhooksConfig(List.of(), DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_TIMEOUT);
  }

  /**
   * One receiver.
   *
   * @param name unique, for logs and metrics
   * @param url where the JSON is POSTed
   * @param secretEnv environment variable holding the receiver's secret, or null
   * @param secretFile file holding it, or null (exactly one of the two is set)
   */
  public record Receiver(String name, URI url, String secretEnv, String secretFile) {}
}
