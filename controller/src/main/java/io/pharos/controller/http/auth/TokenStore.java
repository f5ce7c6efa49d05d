package io.pharos.controller.http.auth;

import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.api.TokenFile;
import io.pharos.core.security.Pbkdf2;
import io.pharos.core.security.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named tokens this controller accepts, read from the tokens file and read again when the
 * file changes ({@link #reloadIfChanged}, called off the event loop every few seconds): adding
 * or revoking a token needs no restart. A file that stops parsing keeps the tokens read before
 * (logged and counted). A token checked once with PBKDF2 is remembered by the SHA-256 of its
 * secret until its line changes, so a busy caller costs one hash per process, not per call.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private final Path file;
  private final ErrorCounter errors;
  private volatile Map<String, TokenFile.Entry> tokens = Map.of();
  private final Map<String, String> verified = new ConcurrentHashMap<>();
  private volatile String stamp = "";

  /**
   * Reads {@code file} now.
   *
   * @param file the tokens file, or null for none (every call then needs a break-glass session)
   * @throws IllegalArgumentException when the file cannot be read or a line is bad (start-up stops)
   */
  public TokenStore(Path file, ErrorCounter errors) {
    this.file = file;
    this.errors = errors;
    if (file != null) {
      try {
        load();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the API tokens file " + file + ": " + e.getMessage());
      }
    } else {
      LOG.warn("no API tokens file (api.tokensFile or {}): only /health, /ready, /metrics and break-glass sessions"
          + " are served", io.pharos.core.config.ApiConfig.TOKENS_FILE_ENV);
    }
  }

  /** An in-memory store (tests, the sandbox's own checks). */
  public static TokenStore of(List<String> lines, ErrorCounter errors) {
    TokenStore s = new TokenStore(null, errors);
    s.tokens = Map.copyOf(TokenFile.parse(lines, "tokens"));
    return s;
  }

  /** Reads the file again when it changed; blocking I/O, so not on an event loop. */
  public void reloadIfChanged() {
    if (file == null) {
      return;
    }
    try {
      if (!stamp().equals(stamp)) {
        load();
      }
    } catch (IOException | IllegalArgumentException e) {
      errors.record(LOG, "api.tokens.reload", "the API tokens file " + file + " was not reloaded (the tokens read"
          + " before stay in force)", e);
    }
  }

  private synchronized void load() throws IOException {
    String before = stamp();
    Map<String, TokenFile.Entry> read = TokenFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8),
        file.toString());
    Map<String, TokenFile.Entry> old = tokens;
    tokens = Map.copyOf(read);
    stamp = before;
    verified.keySet().removeIf(name -> !same(old.get(name), read.get(name)));
    if (!old.isEmpty() || !read.isEmpty()) {
      LOG.info("API tokens read from {}: {}", file, read.values().stream().map(e -> e.name() + "=" + e.role().label())
          .toList());
    }
  }

  private static boolean same(TokenFile.Entry a, TokenFile.Entry b) {
    return a != null && b != null && a.role() == b.role() && MessageDigest.isEqual(a.hash().hash(), b.hash().hash());
  }

  private String stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
  }

  public Optional<TokenFile.Entry> entry(String name) {
    return Optional.ofNullable(tokens.get(name));
  }

  public List<TokenFile.Entry> list() {
    return List.copyOf(tokens.values());
  }

  /** Whether {@code secret} was checked for {@code name} before (cheap: one SHA-256). */
  boolean known(String name, String secret) {
    String v = verified.get(name);
    return v != null && MessageDigest.isEqual(v.getBytes(StandardCharsets.US_ASCII),
        Sha256.hex(secret).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Checks {@code secret} against {@code name}'s line with PBKDF2 (slow: call it off the event
   * loop). An unknown name costs the same as a known one, so timing does not tell names apart.
   */
  boolean check(String name, String secret) {
    TokenFile.Entry e = tokens.get(name);
    Pbkdf2.Stored stored = e != null ? e.hash() : DECOY;
    boolean ok = Pbkdf2.verify(secret, stored) && e != null;
    if (ok) {
      verified.put(name, Sha256.hex(secret));
    }
    return ok;
  }

  private static final Pbkdf2.Stored DECOY = new Pbkdf2.Stored(TokenFile.DEFAULT_ITERATIONS, new byte[16],
      new byte[32]);
}
