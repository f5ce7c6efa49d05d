package io.pharos.dns;

/**
 * Whether a provider can take a change now. Read by readiness checks and the status page, so the
 * detail says what is wrong in words an operator can act on.
 */
public record ProviderHealth(boolean healthy, String detail) {
  public ProviderHealth {
    detail = detail == null ? "" : detail;
  }

  public static ProviderHealth healthy(String detail) {
    return new ProviderHealth(true, detail);
  }

  public static ProviderHealth unhealthy(String detail) {
    return new ProviderHealth(false, detail);
  }
}
