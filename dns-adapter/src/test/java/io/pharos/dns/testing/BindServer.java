package io.pharos.dns.testing;

import static org.awaitility.Awaitility.await;

import io.pharos.core.config.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 ({@code named -g}) on a free loopback port with its own directory and config,
 * serving primary zones that take RFC 2136 updates signed with a test TSIG key. Fails loudly
 * when named is not installed: CI installs it (.ci/run).
 */
public final class BindServer implements AutoCloseable {
  public static final String KEY_NAME = "pharos-test";
  /** An obviously fake hmac-sha256 secret (32 bytes of readable text, base64). */
  public static final String KEY_SECRET = Base64.getEncoder().encodeToString(
      "pharos-test-only-key-not-secret!".getBytes(StandardCharsets.US_ASCII));
  public static final String OTHER_SECRET = Base64.getEncoder().encodeToString(
      "some-other-test-key-not-a-secret".getBytes(StandardCharsets.US_ASCII));

  private final Process process;
  private final int port;
  private final Path dir;

  private BindServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts named serving {@code zones} (each with SOA, NS and nothing else). */
  public static BindServer start(Path dir, List<String> zones) {
    String named = FreePorts.executable("named", "/usr/sbin", "/usr/local/sbin");
    if (named == null) {
      throw new IllegalStateException("named (BIND 9) is not installed; the RFC 2136 tests need a real BIND:"
          + " apt-get install -y bind9 bind9-utils (.ci/run installs it on CI)");
    }
    int port = FreePorts.tcpAndUdp();
    try {
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
      Path log = dir.resolve("named.log");
      Process p = new ProcessBuilder(named, "-g", "-n", "1", "-c", confFile.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      BindServer server = new BindServer(p, port, dir);
      try {
        await("named on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .ignoreExceptions().until(() -> {
              if (!p.isAlive()) {
                throw new AssertionError("named exited: " + Files.readString(log));
              }
              return server.query(zones.get(0), Type.SOA).getRcode() == Rcode.NOERROR;
            });
      } catch (RuntimeException e) {
        server.close();
        throw new IllegalStateException("named did not start; its log: " + Files.readString(log), e);
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  /** An unsigned query over TCP, as a resolver would ask. */
  public Message query(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTCP(true);
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type,
        DClass.IN)));
  }

  /** The values a name answers for {@code type}: addresses, CNAME targets or TXT strings. */
  public Set<String> answers(String name, int type) throws IOException {
    Set<String> out = new TreeSet<>();
    for (Record r : query(name, type).getSection(Section.ANSWER)) {
      if (r.getType() == type) {
        out.add(r.rdataToString().replace("\"", ""));
      }
    }
    return out;
  }

  @Override
  public void close() {
    FreePorts.stop(process);
  }
}
