package io.pharos.testkit.sandbox;

import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Route 53 for a local sandbox, without AWS: moto_server on a free loopback port (a child of this
 * JVM that exits with it, even after kill -9), a hosted zone for the sandbox's zone seeded with
 * the configured weighted record sets (as an operator would have them before pointing Pharos at
 * the zone), and an {@link HttpChaosProxy} in front of it where the controllers can reach it (on
 * the namespace network: the bridge's address in the root namespace). The controllers talk to the
 * proxy only; moto itself listens on 127.0.0.1 of the root namespace, which no namespace can reach,
 * so every API call the controllers make passes through the proxy and is counted there.
 *
 * <p>The drill runner reads what Route 53 serves straight from moto ({@link #answer}), not through
 * the proxy, so its reads neither spend the controllers' budget nor are throttled.
 */
public final class Route53Sandbox implements AutoCloseable {
  /** The variables the Route 53 provider's default credential chain reads; test-only values moto ignores. */
  public static final Map<String, String> TEST_CREDENTIALS = Map.of(
      "AWS_ACCESS_KEY_ID", "pharos-sandbox-not-a-key",
      "AWS_SECRET_ACCESS_KEY", "pharos-sandbox-not-a-secret",
      // never ask an instance metadata service (there is none, and no traffic may leave the machine)
      "AWS_EC2_METADATA_DISABLED", "true");
  /** Requests per second the sandbox's controllers may send (Route 53's per-account limit). */
  public static final int REQUESTS_PER_SECOND = 5;
  private static final String API = "/2013-04-01";
  private static final String XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";
  private static final Pattern CHANGE_PATH = Pattern.compile(API + "/hostedzone/[^/]+/rrset/?");
  // moto picks the service from the SigV4 credential scope; it checks no signature
  private static final String AUTH = "AWS4-HMAC-SHA256 Credential=pharos-sandbox/20250101/us-east-1/route53/"
      + "aws4_request, SignedHeaders=host, Signature=0";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** One weighted record of the sandbox: its name, TTL, and per region the target and base weight. */
  public record Record(String name, String type, int ttl, Map<String, String> targets, Map<String, Integer> weights) {}

  /** A record set as moto holds it. */
  public record RecordSet(String name, String type, String setIdentifier, Long weight, Long ttl, List<String> values) {}

  private final ManagedProcess moto;
  private final int motoPort;
  private final HttpChaosProxy proxy;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String zone;
  private final String zoneId;

  private Route53Sandbox(ManagedProcess moto, int motoPort, String zone, String proxyHost, List<Record> records) {
    this.moto = moto;
    this.motoPort = motoPort;
    this.zone = zone;
    HttpChaosProxy p = null;
    try {
      awaitUp();
      this.zoneId = createZone(zone);
      seed(records);
      p = new HttpChaosProxy(new InetSocketAddress(proxyHost, Ports.free()), motoUrl()).start();
    } catch (IOException | RuntimeException e) {
      moto.stop(Duration.ofSeconds(5));
      throw e instanceof RuntimeException r ? r : new IllegalStateException("moto_server for the sandbox: "
          + e.getMessage(), e);
    }
    this.proxy = p;
  }

  /** Whether this machine can run it: moto_server on PATH. */
  public static Optional<String> unavailableReason() {
    return Cmd.exists("moto_server") ? Optional.empty() : Optional.of("moto_server is not on PATH (moto 5.x with its"
        + " server extra: pip install 'moto[server]'; preinstalled on the CI machines)");
  }

  /**
   * Starts moto_server (in {@code group}, log {@code route53-moto.log}), creates the hosted zone
   * {@code zone} with {@code records} and a proxy listening on {@code proxyHost}. Throws naming
   * what failed; leaves nothing running then.
   */
  public static Route53Sandbox start(ProcessGroup group, String zone, String proxyHost, List<Record> records) {
    unavailableReason().ifPresent(r -> {
      throw new IllegalStateException("a Route 53 sandbox needs moto_server: " + r);
    });
    int port = Ports.free();
    // the guard shell stops moto when this JVM is gone (kill -9 included) or when it is stopped itself
    List<String> command = List.of("sh", "-c", "parent=$1; shift; \"$@\" & child=$!; "
        + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; "
        + "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1 & wait $!; done; "
        + "kill $child 2>/dev/null; wait $child", "moto-guard", Long.toString(ProcessHandle.current().pid()),
        "moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port));
    ManagedProcess p = group.start("route53-moto", command, Map.of());
    return new Route53Sandbox(p, port, zone, proxyHost, records);
  }

  private void awaitUp() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI probe = URI.create(motoUrl() + "/moto-api/");
    while (true) {
      if (!moto.isAlive()) {
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
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for moto_server", e);
    }
  }

  private String tail() {
    try {
      String log = Files.readString(moto.log());
      return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String createZone(String name) throws IOException {
    Document d = call("POST", API + "/hostedzone", "<CreateHostedZoneRequest xmlns=\"" + XMLNS + "\"><Name>" + name
        + ".</Name><CallerReference>pharos-sandbox-" + UUID.randomUUID() + "</CallerReference>"
        + "</CreateHostedZoneRequest>");
    String id = text(d.getDocumentElement(), "Id");
    if (id == null) {
      throw new IllegalStateException("moto_server answered CreateHostedZone without an Id");
    }
    return id.replace("/hostedzone/", "");
  }

  private void seed(List<Record> records) throws IOException {
    StringBuilder changes = new StringBuilder();
    for (Record r : records) {
      r.targets().forEach((region, target) -> changes.append("<Change><Action>CREATE</Action><ResourceRecordSet><Name>")
          .append(r.name()).append(".</Name><Type>").append(r.type()).append("</Type><SetIdentifier>").append(region)
          .append("</SetIdentifier><Weight>").append(r.weights().getOrDefault(region, 0)).append("</Weight><TTL>")
          .append(r.ttl()).append("</TTL><ResourceRecords><ResourceRecord><Value>").append(target)
          .append("</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>"));
    }
    call("POST", API + "/hostedzone/" + zoneId + "/rrset/", "<ChangeResourceRecordSetsRequest xmlns=\"" + XMLNS
        + "\"><ChangeBatch><Comment>seeded by the Pharos sandbox</Comment><Changes>" + changes
        + "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
  }

  private Document call(String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(motoUrl() + path)).timeout(Duration.ofSeconds(10))
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
      throw new IOException("moto_server answered " + method + " " + path + " with unreadable XML: " + e.getMessage(),
          e);
    }
  }

  /** Every record set of the zone, read from moto directly (ListResourceRecordSets, all pages). */
  public List<RecordSet> recordSets() throws IOException {
    List<RecordSet> out = new ArrayList<>();
    String query = "";
    while (true) {
      Element root = call("GET", API + "/hostedzone/" + zoneId + "/rrset" + query, null).getDocumentElement();
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
  public Set<String> answer(String name, String type) throws IOException {
    Set<String> out = new TreeSet<>();
    for (RecordSet s : recordSets()) {
      if (s.name().equals(normalize(name)) && s.type().equals(type) && (s.weight() == null || s.weight() > 0)) {
        out.addAll(s.values());
      }
    }
    return out;
  }

  /** Whether a logged call of the proxy was a ChangeResourceRecordSets. */
  public static boolean isChange(HttpChaosProxy.Exchange e) {
    return "POST".equals(e.method()) && CHANGE_PATH.matcher(e.path()).matches();
  }

  /**
   * Whether a logged ChangeResourceRecordSets changes weighted record sets (the steered records
   * carry a SetIdentifier); a batch that only swaps the fencing TXT (a new leader finishing a
   * decision whose weights are already in place) does not.
   */
  public static boolean changesWeightedSets(HttpChaosProxy.Exchange e) {
    return isChange(e) && e.body().contains("<SetIdentifier>");
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
    String n = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** The proxy the controllers use as their Route 53 endpoint. */
  public HttpChaosProxy proxy() {
    return proxy;
  }

  /** The endpoint override written into the controllers' config (the proxy). */
  public URI endpoint() {
    return proxy.url();
  }

  /** moto_server itself (on this machine's loopback; the runner's reads go here). */
  public URI motoUrl() {
    return URI.create("http://127.0.0.1:" + motoPort);
  }

  public String zone() {
    return zone;
  }

  public String hostedZoneId() {
    return zoneId;
  }

  public ManagedProcess process() {
    return moto;
  }

  /** Stops the proxy and moto_server. Idempotent. */
  @Override
  public void close() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      moto.stop(Duration.ofSeconds(10));
    }
  }
}
