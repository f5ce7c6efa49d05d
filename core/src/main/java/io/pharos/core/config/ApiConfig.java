package io.pharos.core.config;

import java.time.Duration;
import java.util.Set;

/**
 * The controllers' operator API: who may call it (named tokens in a file, break-glass codes),
 * how much (rate limits, body size), over what (TLS) and how long the audit chain is kept in the
 * journal. Only file names appear here; the secrets stay in those files.
 *
 * @param tokensFile the named tokens, stored hashed ({@code pharos tokens create} writes a line),
 *     or null: then only the open endpoints and break-glass codes work
 * @param open the endpoints served without a token: any of {@code health}, {@code ready}, {@code metrics}
 * @param tls TLS for the API, or null for plain HTTP (the CLI then sends a token only to loopback
 *     addresses unless told {@code --insecure})
 * @param failedAuthPerIp failed authentications an address may make per minute before it gets 429
 * @param perToken calls a token may make per minute (a token line may raise or lower its own)
 * @param bodyLimit largest request body, bytes
 * @param auditRetain audit records kept in the journal; older ones are dropped behind a signed anchor
 * @param breakGlassFile the hashes of the one-time recovery codes ({@code pharos breakglass codes}), or null
 * @param breakGlassGrant how long a used recovery code grants admin
 */
public record ApiConfig(
    String tokensFile,
    Set<String> open,
    Tls tls,
    int failedAuthPerIp,
    int perToken,
    int bodyLimit,
    int auditRetain,
    String breakGlassFile,
    Duration breakGlassGrant) {
  /** The endpoints that may be left open. */
  public static final Set<String> OPENABLE = Set.of("health", "ready", "metrics");
  /** Environment variable naming the tokens file; it wins over {@code api.tokensFile}. */
  public static final String TOKENS_FILE_ENV = "PHAROS_API_TOKENS_FILE";

  public ApiConfig {
    open = Set.copyOf(open);
  }

  /** What a config without an {@code api} section gets. */
  public static ApiConfig defaults() {
    return new ApiConfig(null, OPENABLE, null, 10, 120, 16_384, 500, null, Duration.ofMinutes(15));
  }

  /**
   * PEM files for the API's TLS. {@code {id}} in a file name stands for the controller's id, so one
   * config can name a certificate per controller.
   *
   * @param certFile the controller's certificate chain (server side), or null for a client-only config
   * @param keyFile its private key (PKCS#8), or null with certFile
   * @param caFile the CA clients trust for the API (the CLI, and controllers calling each other)
   */
  public record Tls(String certFile, String keyFile, String caFile) {
    /** {@code file} with {@code {id}} replaced by {@code controllerId}. */
    public static String forController(String file, String controllerId) {
      return file == null ? null : file.replace("{id}", controllerId);
    }
  }

  /** http or https. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
