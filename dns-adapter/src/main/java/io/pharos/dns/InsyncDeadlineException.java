package io.pharos.dns;

import java.time.Duration;

/**
 * An accepted change did not become live within its deadline (Route 53 still PENDING). Retryable:
 * waiting again may succeed; the provider has already raised an alert.
 */
public class InsyncDeadlineException extends DnsProviderException {
  private final String changeId;

  public InsyncDeadlineException(String changeId, Duration deadline, String detail) {
    super("change " + changeId + " is not live after " + deadline + ": " + detail, true);
    this.changeId = changeId;
  }

  public String changeId() {
    return changeId;
  }
}
