package io.pharos.dns;

/**
 * A provider could not do what was asked. {@link #retryable()} tells the reconciler whether
 * trying the same call again can help (a timeout, a throttled API) or whether it must re-read and
 * re-plan, or stop (a stale token, a plan against an outdated read, an unknown record).
 */
public class DnsProviderException extends RuntimeException {
  private final boolean retryable;

  public DnsProviderException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public DnsProviderException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
