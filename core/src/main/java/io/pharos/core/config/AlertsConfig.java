package io.pharos.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where alerts reach people ({@code alerts:}; docs/alerts.md): the receivers, each with the
 * severities it takes, and how delivery retries.
 *
 * @param receivers where alerts go; none configured means alerts stay on the timeline, in status
 *     and in metrics only
 * @param maxAge an alert older than this when its turn comes is not delivered any more (counted
 *     {@code expired}): a receiver added later, or one back after a long outage, is not flooded
 * @param attempts delivery attempts per alert and receiver before it is given up ({@code dropped})
 * @param initialBackoff wait before the second attempt; doubled after every failure
 * @param maxBackoff the longest wait between two attempts
 * @param timeout one HTTP request's deadline
 * @param failingAfter consecutive failed attempts after which a receiver is failing: {@code
 *     AlertDeliveryFailing} is raised and delivered on the other receivers
 * @param controlPlaneHold a controller's own alert is delivered once it has held this long: the
 *     moment of minority every follower goes through while a new leader is elected never pages
 */
public record AlertsConfig(List<Receiver> receivers, Duration maxAge, int attempts, Duration initialBackoff,
    Duration maxBackoff, Duration timeout, int failingAfter, Duration controlPlaneHold) {

  /** PagerDuty's Events API v2 endpoint, the default {@code url} of a pagerduty receiver. */
  public static final String PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

  public AlertsConfig {
    receivers = List.copyOf(receivers);
  }

  /** No receivers; the documented delivery defaults. */
  public static AlertsConfig defaults() {
    return new AlertsConfig(List.of(), Duration.ofHours(1), 5, Duration.ofMillis(500), Duration.ofSeconds(30),
        Duration.ofSeconds(5), 3, Duration.ofSeconds(5));
  }

  /** The kinds of receiver. */
  public enum ReceiverType {
    /** A Slack incoming webhook: one message per alert state change. */
    SLACK,
    /** PagerDuty Events API v2: trigger and resolve with a dedup key. */
    PAGERDUTY,
    /** Alertmanager's v2 API ({@code POST /api/v2/alerts}). */
    ALERTMANAGER
  }

  /** Alert severities (DESIGN.md "Alerts"). */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  /**
   * One receiver.
   *
   * @param name unique name (the {@code receiver} label of the delivery metric)
   * @param type its format
   * @param url where to post: PagerDuty's events URL, Alertmanager's base URL; null for a Slack
   *     receiver whose URL is its secret
   * @param secret the Slack webhook URL or the PagerDuty routing key, or null
   * @param severities the severities it takes
   */
  public record Receiver(String name, ReceiverType type, String url, Secret secret, Set<Severity> severities) {
    public Receiver {
      severities = Set.copyOf(severities);
    }

    public boolean takes(Severity s) {
      return severities.contains(s);
    }
  }

  /**
   * A secret named by the config: read from an environment variable when the config is loaded, or
   * from a file when the controller starts (the loader reads no files). Its value is never printed.
   *
   * @param field the config field that names it, for messages
   * @param env the variable it was read from, or null
   * @param file the file to read it from, or null
   * @param value the value read from {@code env}, or null
   */
  public record Secret(String field, String env, String file, String value) {
    /** The value: the variable's, or the file's (first line, trimmed), read by {@code readFile}. */
    public String resolve(UnaryOperator<String> readFile) {
      String v = value != null ? value : readFile.apply(file);
      if (v == null || v.isBlank()) {
        throw new ConfigException(field + ": " + (file != null ? "file " + file : "environment variable " + env)
            + " is empty");
      }
      return v.strip();
    }

    @Override
    public String toString() {
      return field + " from " + (env != null ? "$" + env : file);
    }
  }
}
