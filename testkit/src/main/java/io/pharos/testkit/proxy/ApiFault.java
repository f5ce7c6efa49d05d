package io.pharos.testkit.proxy;

import java.time.Duration;

/**
 * What an {@link HttpChaosProxy} does to the API calls it forwards: throttle a share of them,
 * fail a share with a server error, slow every one down.
 *
 * @param throttleRate share (0..1) answered with {@code throttleStatus} and {@code throttleBody}
 * @param throttleStatus 429 for most APIs; 400 for AWS query APIs (with a Throttling error body)
 * @param throttleBody response body of a throttled call
 * @param errorRate share (0..1) answered with {@code errorStatus}
 * @param errorStatus e.g. 500 or 503
 * @param latency added before every forwarded call
 */
public record ApiFault(double throttleRate, int throttleStatus, String throttleBody, double errorRate, int errorStatus,
    Duration latency) {
  public static final ApiFault NONE = new ApiFault(0, 429, "", 0, 503, Duration.ZERO);
  /** The error body AWS query/REST-XML APIs (Route 53) send when throttling. */
  public static final String AWS_THROTTLING_BODY = "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53."
      + "amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded"
      + "</Message></Error><RequestId>pharos-chaos</RequestId></ErrorResponse>";

  public ApiFault {
    if (throttleRate < 0 || throttleRate > 1 || errorRate < 0 || errorRate > 1) {
      throw new IllegalArgumentException("throttleRate and errorRate must be between 0 and 1");
    }
    if (throttleStatus < 100 || throttleStatus > 599 || errorStatus < 100 || errorStatus > 599) {
      throw new IllegalArgumentException("statuses must be 100..599");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    throttleBody = throttleBody == null ? "" : throttleBody;
  }

  /** Throttles a share of calls with 429 and {@code Retry-After: 1}. */
  public static ApiFault throttle(double rate) {
    return new ApiFault(rate, 429, "{\"error\":\"Throttling: rate exceeded\"}", 0, 503, Duration.ZERO);
  }

  /** Throttles a share of calls the way Route 53 does: HTTP 400, error code Throttling. */
  public static ApiFault awsThrottle(double rate) {
    return new ApiFault(rate, 400, AWS_THROTTLING_BODY, 0, 503, Duration.ZERO);
  }

  public static ApiFault errors(double rate, int status) {
    return new ApiFault(0, 429, "", rate, status, Duration.ZERO);
  }

  public static ApiFault slow(Duration latency) {
    return new ApiFault(0, 429, "", 0, 503, latency);
  }

  @Override
  public String toString() {
    return "throttle " + throttleRate * 100 + " % (" + throttleStatus + "), errors " + errorRate * 100 + " % ("
        + errorStatus + "), latency " + latency.toMillis() + " ms";
  }
}
