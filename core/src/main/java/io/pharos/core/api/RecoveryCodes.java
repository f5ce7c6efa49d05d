package io.pharos.core.api;

import io.pharos.core.security.Pbkdf2;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One-time recovery codes and the file of their hashes, the controllers' secret
 * ({@code api.breakGlass.codesFile}). A code is {@code <id>-XXXXX-XXXXX-XXXXX-XXXXX}: an 8-hex id
 * (public: it names the code in the journal and the audit chain) and 100 random bits in RFC 4648
 * base32 (letters and 2-7; read without regard to case). The file holds {@code <id> <pbkdf2 hash>}
 * a line.
 */
public final class RecoveryCodes {
  /** Codes are typed by people in an emergency, so they are hashed harder than tokens. */
  public static final int DEFAULT_ITERATIONS = 210_000;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
  private static final Pattern CODE = Pattern.compile("([0-9a-f]{8})-([A-Z2-7]{5}(-[A-Z2-7]{5}){3})");

  private RecoveryCodes() {}

  /** Codes to hand out (shown once) and the lines of the hash file. */
  public record Generated(List<String> codes, List<String> lines) {}

  /** A presented code split into its id and secret; null when it is not shaped like one. */
  public record Presented(String id, String secret) {
    public static Presented of(String code) {
      if (code == null || code.strip().length() < 9) {
        return null;
      }
      String c = code.strip();
      var m = CODE.matcher(c.substring(0, 8).toLowerCase(java.util.Locale.ROOT)
          + c.substring(8).toUpperCase(java.util.Locale.ROOT));
      return m.matches() ? new Presented(m.group(1), m.group(2)) : null;
    }
  }

  public static Generated generate(int count, int iterations, SecureRandom random) {
    if (count < 1 || count > 100) {
      throw new IllegalArgumentException("generate 1 to 100 codes, was " + count);
    }
    List<String> codes = new ArrayList<>();
    List<String> lines = new ArrayList<>(List.of("# Pharos break-glass recovery codes: <id> <pbkdf2 hash of the"
        + " code>. The controllers' secret:", "# give every controller this file (api.breakGlass.codesFile); never the"
        + " codes themselves."));
    for (int i = 0; i < count; i++) {
      byte[] id = new byte[4];
      random.nextBytes(id);
      StringBuilder secret = new StringBuilder();
      for (int g = 0; g < 4; g++) {
        if (g > 0) {
          secret.append('-');
        }
        for (int c = 0; c < 5; c++) {
          secret.append(BASE32.charAt(random.nextInt(32)));
        }
      }
      String hexId = HexFormat.of().formatHex(id);
      codes.add(hexId + "-" + secret);
      lines.add(hexId + " " + Pbkdf2.hash(secret.toString(), iterations, random));
    }
    return new Generated(codes, lines);
  }

  /**
   * Reads the hash file.
   *
   * @throws IllegalArgumentException naming every bad line (never echoing a hash)
   */
  public static Map<String, Pbkdf2.Stored> parse(List<String> lines, String source) {
    Map<String, Pbkdf2.Stored> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      String where = source + " line " + (i + 1) + ": ";
      if (f.length != 2 || !ID.matcher(f[0]).matches()) {
        problems.add(where + "expected '<8-hex id> <pbkdf2 hash>'");
        continue;
      }
      try {
        if (out.put(f[0], Pbkdf2.parse(f[1])) != null) {
          problems.add(where + "code " + f[0] + " is listed twice");
        }
      } catch (IllegalArgumentException e) {
        problems.add(where + "code " + f[0] + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return out;
  }
}
