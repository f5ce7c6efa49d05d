package io.pharos.core.api;

import io.pharos.core.security.Pbkdf2;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokens file: one named token a line, stored hashed, e.g.
 * <pre>
 *   # name      role      hash                                        [limit]
 *   alice       operator  pbkdf2-sha256$100000$&lt;salt&gt;$&lt;hash&gt;
 *   bench       operator  pbkdf2-sha256$100000$&lt;salt&gt;$&lt;hash&gt;   6000/min
 * </pre>
 * A token is {@code pt1.<name>.<secret>}: the name says which line to check, so one PBKDF2 run
 * checks a token whatever the number of lines. {@code pharos tokens create} prints a token once
 * with its line.
 */
public final class TokenFile {
  public static final String PREFIX = "pt1.";
  /** The iteration count {@code pharos tokens create} uses: tokens are 256-bit random, so this guards only a leaked file. */
  public static final int DEFAULT_ITERATIONS = 100_000;
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern LIMIT = Pattern.compile("(\\d{1,7})/min");
  private static final int SECRET_BYTES = 32;

  private TokenFile() {}

  /**
   * One token line.
   *
   * @param perMinute the token's own rate limit, or null for {@code api.rateLimit.perToken}
   */
  public record Entry(String name, Role role, Pbkdf2.Stored hash, Integer perMinute) {}

  /** A new token (shown once, never stored) and the line that lets the controllers check it. */
  public record Issued(String token, String line) {}

  /** A presented token split into its name and secret; null when it is not one of ours. */
  public record Presented(String name, String secret) {
    public static Presented of(String token) {
      if (token == null || !token.startsWith(PREFIX)) {
        return null;
      }
      int dot = token.lastIndexOf('.');
      if (dot <= PREFIX.length()) {
        return null;
      }
      String name = token.substring(PREFIX.length(), dot);
      String secret = token.substring(dot + 1);
      return NAME.matcher(name).matches() && !secret.isEmpty() ? new Presented(name, secret) : null;
    }
  }

  /** A fresh token for {@code name}. */
  public static Issued issue(String name, Role role, Integer perMinute, int iterations, SecureRandom random) {
    checkName(name);
    if (perMinute != null && (perMinute < 1 || perMinute > 1_000_000)) {
      throw new IllegalArgumentException("a token's limit must be from 1 to 1000000 calls a minute, was " + perMinute);
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    String s = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(PREFIX + name + "." + s, line(name, role, Pbkdf2.hash(s, iterations, random), perMinute));
  }

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a token name is 1-64 letters, digits, '-' or '_', starting with a letter or"
          + " digit; was '" + name + "'");
    }
  }

  public static String line(String name, Role role, String hash, Integer perMinute) {
    return name + " " + role.label() + " " + hash + (perMinute == null ? "" : " " + perMinute + "/min");
  }

  /**
   * Reads the lines of a tokens file.
   *
   * @param source the file's name, for messages
   * @throws IllegalArgumentException listing every bad line by number (never echoing a hash)
   */
  public static Map<String, Entry> parse(List<String> lines, String source) {
    Map<String, Entry> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1) + ": ";
      String[] f = line.split("\\s+");
      if (f.length < 3 || f.length > 4) {
        problems.add(where + "expected '<name> <role> <hash> [<n>/min]'");
        continue;
      }
      if (!NAME.matcher(f[0]).matches()) {
        problems.add(where + "'" + f[0] + "' is not a token name (letters, digits, '-', '_')");
        continue;
      }
      if (out.containsKey(f[0])) {
        problems.add(where + "token '" + f[0] + "' is defined twice");
        continue;
      }
      try {
        Role role = Role.parse(f[1]);
        Pbkdf2.Stored hash = Pbkdf2.parse(f[2]);
        Integer limit = null;
        if (f.length == 4) {
          Matcher m = LIMIT.matcher(f[3]);
          if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new IllegalArgumentException("the limit must read like 600/min, was '" + f[3] + "'");
          }
          limit = Integer.parseInt(m.group(1));
        }
        out.put(f[0], new Entry(f[0], role, hash, limit));
      } catch (IllegalArgumentException e) {
        problems.add(where + "token '" + f[0] + "': " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return out;
  }
}
