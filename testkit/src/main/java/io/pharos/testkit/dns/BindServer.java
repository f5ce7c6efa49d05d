package io.pharos.testkit.dns;

import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.OrphanGuard;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real BIND 9 ({@code named -g}) on a free loopback port with its own directory and config,
 * serving primary zones that take RFC 2136 updates signed with a test TSIG key: what the RFC 2136
 * provider is tested against. It runs under an {@link OrphanGuard}, so it exits with this JVM.
 * Fails loudly, naming the package, when named is not installed (CI installs it).
 */
public final class BindServer implements AutoCloseable {
  public static final String KEY_NAME = "pharos-test";
  /** An obviously fake hmac-sha256 secret (32 bytes of readable text, base64). */
  public static final String KEY_SECRET = Base64.getEncoder().encodeToString(
      "pharos-test-only-key-not-secret!".getBytes(StandardCharsets.US_ASCII));
  /** Another fake secret, for a client with the wrong key. */
  public static final String OTHER_SECRET = Base64.getEncoder().encodeToString(
      "some-other-test-key-not-a-secret".getBytes(StandardCharsets.US_ASCII));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  // named -g logs "running" on a line of its own once every zone is loaded (or failed to)
  private static final Pattern RUNNING = Pattern.compile("(?m) running$");

  private final ProcessGroup group;
  private final ManagedProcess process;
  private final int port;
  private final Path dir;

  private BindServer(ProcessGroup group, ManagedProcess process, int port, Path dir) {
    this.group = group;
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Whether this machine can run it: named installed. */
  public static Optional<String> unavailableReason() {
    return Cmd.exists("named") ? Optional.empty() : Optional.of("named (BIND 9) is not installed: apt-get install -y"
        + " bind9 bind9-utils");
  }

  /** Starts named in {@code dir} serving {@code zones} (each with SOA, NS and nothing else), and waits until it runs. */
  public static BindServer start(Path dir, List<String> zones) {
    String named = Cmd.which("named").orElseThrow(() -> new IllegalStateException("the RFC 2136 tests need a real"
        + " BIND: " + unavailableReason().orElse("named is missing")));
    int port = Ports.free();
    ProcessGroup group = new ProcessGroup(dir);
    try {
      Path conf = writeConfig(dir, port, zones);
      ManagedProcess p = group.start("named", OrphanGuard.wrap("named", List.of(named, "-g", "-n", "1", "-c",
          conf.toString())), Map.of());
      BindServer server = new BindServer(group, p, port, dir);
      try {
        server.awaitRunning(zones);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException(e.getMessage(), (IOException) e);
    }
  }

  private static Path writeConfig(Path dir, int port, List<String> zones) throws IOException {
    Files.createDirectories(dir);
    StringBuilder conf = new StringBuilder()
        .append("options {\n  directory \"").append(dir).append("\";\n")
        .append("  pid-file \"").append(dir.resolve("named.pid")).append("\";\n")
        .append("  session-keyfile \"").append(dir.resolve("session.key")).append("\";\n")
        .append("  listen-on port ").append(port).append(" { 127.0.0.1; };\n  listen-on-v6 { none; };\n")
        .append("  recursion no;\n  dnssec-validation no;\n  allow-query { any; };\n  notify no;\n};\n")
        .append("controls { };\n")
        .append("key \"").append(KEY_NAME).append("\" {\n  algorithm hmac-sha256;\n  secret \"").append(KEY_SECRET)
        .append("\";\n};\n");
    for (String zone : zones) {
      Path file = dir.resolve(zone + ".zone");
      Files.deleteIfExists(dir.resolve(zone + ".zone.jnl"));
      Files.writeString(file, "$TTL 60\n@ IN SOA ns1." + zone + ". hostmaster." + zone + ". 1 60 30 86400 5\n"
          + "@ IN NS ns1." + zone + ".\nns1 IN A 127.0.0.1\n");
      conf.append("zone \"").append(zone).append("\" {\n  type primary;\n  file \"").append(file)
          .append("\";\n  allow-update { key \"").append(KEY_NAME).append("\"; };\n};\n");
    }
    Path confFile = dir.resolve("named.conf");
    Files.writeString(confFile, conf.toString());
    return confFile;
  }

  private void awaitRunning(List<String> zones) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String log = Files.exists(process.log()) ? Files.readString(process.log()) : "";
      if (log.contains("not loaded due to errors")) {
        throw new IllegalStateException("named could not load a zone of " + zones + "; its log: " + log);
      }
      if (RUNNING.matcher(log).find()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("named exited at start; its log: " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("named did not start within " + START_TIMEOUT.toSeconds() + " s; its log: "
            + log);
      }
      try {
        Thread.sleep(50); // named loads its zones in well under a second; poll its log until then
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for named", e);
      }
    }
  }

  public int port() {
    return port;
  }

  public HostPort address() {
    return new HostPort("127.0.0.1", port);
  }

  public Path dir() {
    return dir;
  }

  /** The guard named runs under. */
  public ManagedProcess process() {
    return process;
  }

  /** Stops named. Idempotent. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
    group.close();
  }
}
