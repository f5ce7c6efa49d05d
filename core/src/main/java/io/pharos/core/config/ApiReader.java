package io.pharos.core.config;

import io.pharos.core.yaml.YamlNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code api} section. */
final class ApiReader {
  private static final Set<String> KNOWN =
      Set.of("tokensFile", "open", "tls", "rateLimit", "bodyLimit", "audit", "breakGlass");
  private static final Set<String> TLS = Set.of("certFile", "keyFile", "caFile");
  private static final Set<String> RATE = Set.of("failedAuthPerIp", "perToken");
  private static final Set<String> AUDIT = Set.of("retain");
  private static final Set<String> BREAK_GLASS = Set.of("codesFile", "grant");
  /** Records the journal state holds at most (ControlState's bound) less room for a batch before truncation. */
  static final int MAX_AUDIT_RETAIN = 1_500;

  private ApiReader() {}

  static ApiConfig read(YamlNode section, Map<String, String> env) {
    ApiConfig d = ApiConfig.defaults();
    YamlNode a = section.mapping(KNOWN);
    String tokensFile = a.get("tokensFile").text();
    String fromEnv = env.get(ApiConfig.TOKENS_FILE_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      tokensFile = fromEnv.strip();
    }
    Set<String> open = d.open();
    if (a.has("open")) {
      open = new LinkedHashSet<>();
      for (String e : a.get("open").texts()) {
        if (!ApiConfig.OPENABLE.contains(e)) {
          a.problem("open", "'" + e + "' cannot be left open (only " + String.join(", ",
              new java.util.TreeSet<>(ApiConfig.OPENABLE)) + "); every other endpoint needs a token");
        } else {
          open.add(e);
        }
      }
    }
    ApiConfig.Tls tls = null;
    if (a.has("tls")) {
      YamlNode t = a.get("tls").mapping(TLS);
      String cert = t.get("certFile").text();
      String key = t.get("keyFile").text();
      String ca = t.get("caFile").text();
      if ((cert == null) != (key == null)) {
        t.problem(cert == null ? "certFile" : "keyFile", "certFile and keyFile go together");
      } else if (cert == null && ca == null) {
        t.problem("give certFile and keyFile (controllers) and caFile (clients)");
      } else {
        tls = new ApiConfig.Tls(cert, key, ca);
      }
    }
    YamlNode rate = a.get("rateLimit").mapping(RATE);
    int failedAuth = rate.get("failedAuthPerIp").integer(d.failedAuthPerIp(), 1, 10_000);
    int perToken = rate.get("perToken").integer(d.perToken(), 1, 1_000_000);
    int bodyLimit = a.get("bodyLimit").integer(d.bodyLimit(), 1_024, 1_048_576);
    int retain = a.get("audit").mapping(AUDIT).get("retain").integer(d.auditRetain(), 10, MAX_AUDIT_RETAIN);
    YamlNode bg = a.get("breakGlass").mapping(BREAK_GLASS);
    String codes = bg.get("codesFile").text();
    Duration grant = ConfigLoader.duration(bg.get("grant"), d.breakGlassGrant());
    if (grant.compareTo(Duration.ofHours(4)) > 0) {
      bg.problem("grant", "a break-glass grant is for an emergency: at most 4h, was " + Durations.format(grant));
    }
    return new ApiConfig(tokensFile, open, tls, failedAuth, perToken, bodyLimit, retain, codes, grant);
  }
}
