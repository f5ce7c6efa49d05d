package io.pharos.testkit.dns;

import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.OrphanGuard;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * moto_server (Route 53 without AWS) on a free loopback port, run under an {@link OrphanGuard} so
 * that it exits with this JVM, even after kill -9. It speaks Route 53's REST API; this class makes
 * the few calls a test or a sandbox sets up and reads zones with (create a zone, change and list
 * record sets), as plain XML over HTTP, so testkit needs no AWS SDK. moto checks no credentials.
 */
public final class MotoServer implements AutoCloseable {
  // moto picks the service from the SigV4 credential scope; it checks no signature
  private static final String AUTH = "AWS4-HMAC-SHA256 Credential=pharos-test/20250101/us-east-1/route53/"
      + "aws4_request, SignedHeaders=host, Signature=0";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static MotoServer shared;

  /** A record set as moto holds it (name without the final dot, lower case). */
  public record RecordSet(String name, String type, String setIdentifier, Long weight, Long ttl, List<String> values) {}

  private final ManagedProcess process;
  private final int port;
  private final ProcessGroup ownGroup;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();

  private MotoServer(ManagedProcess process, int port, ProcessGroup ownGroup) {
    this.process = process;
    this.port = port;
    this.ownGroup = ownGroup;
  }

  /** Whether this machine can run it: moto_server on PATH. */
  public static Optional<String> unavailableReason() {
    return Cmd.exists("moto_server") ? Optional.empty() : Optional.of("moto_server is not on PATH (moto 5.x with its"
        + " server extra: pip install 'moto[server]'; preinstalled on the CI machines)");
  }

  /**
   * Starts moto_server in {@code group} (log {@code route53-moto.log}) and waits until it answers;
   * throws naming what is missing or what failed, leaving nothing running then.
   */
  public static MotoServer start(ProcessGroup group) {
    return start(group, null);
  }

  /**
   * One moto_server for every test of this JVM (it takes seconds to start): tests keep apart by
   * using hosted zones of their own. Stopped when the JVM exits.
   */
  public static synchronized MotoServer shared() {
    if (shared == null || !shared.process.isAlive()) {
      ProcessGroup group;
      try {
        group = new ProcessGroup(Files.createTempDirectory("pharos-moto"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        shared = start(group, group);
      } catch (RuntimeException e) {
        group.close();
        throw e;
      }
    }
    return shared;
  }

  private static MotoServer start(ProcessGroup group, ProcessGroup ownGroup) {
    unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("the Route 53 tests and sandboxes need moto_server: " + r);
    });
    int port = Ports.free();
    ManagedProcess p = group.start("route53-moto", OrphanGuard.wrap("moto", List.of("moto_server", "-H",
        "127.0.0.1", "-p", Integer.toString(port))), Map.of());
    MotoServer m = new MotoServer(p, port, ownGroup);
    try {
      m.awaitUp();
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  private void awaitUp() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI probe = URI.create(url() + "/moto-api/");
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited at start: " + tail());
      }
      try {
        if (http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("moto_server did not answer on " + probe + " within "
            + START_TIMEOUT.toSeconds() + " s: " + tail());
      }
      try {
        Thread.sleep(100); // it takes seconds to import; poll until it answers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
    }
  }

  private String tail() {
    try {
      String log = Files.readString(process.log());
      return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Its endpoint on this machine's loopback. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public ManagedProcess process() {
    return process;
  }

  /** Creates the hosted zone {@code name}; returns its id without the {@code /hostedzone/} prefix. */
  public String createZone(String name) {
    Document d = setUp("POST", Route53Api.VERSION + "/hostedzone", "<CreateHostedZoneRequest xmlns=\""
        + Route53Api.XMLNS + "\"><Name>" + name + ".</Name><CallerReference>pharos-test-" + UUID.randomUUID()
        + "</CallerReference></CreateHostedZoneRequest>");
    String id = text(d.getDocumentElement(), "Id");
    if (id == null) {
      throw new IllegalStateException("moto_server answered CreateHostedZone without an Id");
    }
    return id.replace("/hostedzone/", "");
  }

  /** One ChangeResourceRecordSets with {@code changes} ({@code <Change>} elements). */
  public void change(String zoneId, String comment, String changes) {
    setUp("POST", Route53Api.VERSION + "/hostedzone/" + zoneId + "/rrset/", "<ChangeResourceRecordSetsRequest xmlns=\""
        + Route53Api.XMLNS + "\"><ChangeBatch><Comment>" + comment + "</Comment><Changes>" + changes
        + "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
  }

  /**
   * Every record set of a zone (ListResourceRecordSets, all pages). Throws IOException when moto
   * does not answer, as a watcher polling it expects.
   */
  public List<RecordSet> recordSets(String zoneId) throws IOException {
    List<RecordSet> out = new ArrayList<>();
    String query = "";
    while (true) {
      Element root = call("GET", Route53Api.VERSION + "/hostedzone/" + zoneId + "/rrset" + query, null)
          .getDocumentElement();
      NodeList sets = root.getElementsByTagName("ResourceRecordSet");
      for (int i = 0; i < sets.getLength(); i++) {
        Element s = (Element) sets.item(i);
        List<String> values = new ArrayList<>();
        NodeList vs = s.getElementsByTagName("Value");
        for (int j = 0; j < vs.getLength(); j++) {
          values.add(vs.item(j).getTextContent());
        }
        out.add(new RecordSet(normalize(text(s, "Name")), text(s, "Type"), text(s, "SetIdentifier"),
            number(text(s, "Weight")), number(text(s, "TTL")), values));
      }
      if (!"true".equals(text(root, "IsTruncated"))) {
        return out;
      }
      query = "?name=" + text(root, "NextRecordName") + "&type=" + text(root, "NextRecordType")
          + (text(root, "NextRecordIdentifier") == null ? "" : "&identifier=" + text(root, "NextRecordIdentifier"));
    }
  }

  /**
   * What Route 53 answers for a name and type: the values of every weighted set with a weight
   * above 0 (each of them is answered in proportion to its weight), or of the simple set.
   */
  public Set<String> answer(String zoneId, String name, String type) throws IOException {
    Set<String> out = new TreeSet<>();
    for (RecordSet s : recordSets(zoneId)) {
      if (s.name().equals(normalize(name)) && s.type().equals(type) && (s.weight() == null || s.weight() > 0)) {
        out.addAll(s.values());
      }
    }
    return out;
  }

  /** A call that sets something up: its failure fails the caller. */
  private Document setUp(String method, String path, String body) {
    try {
      return call(method, path, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Document call(String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", AUTH);
    if (body != null) {
      b.header("Content-Type", "application/xml").method(method, HttpRequest.BodyPublishers.ofString(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted calling moto_server " + method + " " + path, e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new IOException("moto_server answered " + r.statusCode() + " to " + method + " " + path + ": "
          + new String(r.body(), StandardCharsets.UTF_8).strip());
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
    } catch (Exception e) {
      throw new IOException("moto_server answered " + method + " " + path + " with unreadable XML: "
          + e.getMessage(), e);
    }
  }

  private static String text(Element e, String tag) {
    NodeList n = e.getElementsByTagName(tag);
    for (int i = 0; i < n.getLength(); i++) {
      Node x = n.item(i);
      if (x.getParentNode() == e || "Id".equals(tag)) {
        return x.getTextContent();
      }
    }
    return null;
  }

  private static Long number(String s) {
    return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
  }

  private static String normalize(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** Stops moto_server (and the process group it made for itself). Idempotent. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
    if (ownGroup != null) {
      ownGroup.close();
    }
  }
}
