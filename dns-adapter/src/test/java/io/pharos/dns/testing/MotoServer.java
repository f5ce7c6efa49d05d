package io.pharos.dns.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * moto_server (Route 53 without AWS) on a free loopback port, started and stopped by a test.
 * Credentials are obviously fake; moto does not check them.
 */
public final class MotoServer implements AutoCloseable {
  public static final AwsCredentialsProvider FAKE_CREDENTIALS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIAFAKEFORTESTS0000", "fake-secret-for-tests-only-not-a-key"));

  private final Process process;
  private final int port;
  private final Route53Client client;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client = Route53Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(FAKE_CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
  }

  private static MotoServer shared;

  /**
   * One moto_server for every test class of this JVM (it takes seconds to start); tests keep apart
   * by using hosted zones of their own. Stopped when the JVM exits.
   */
  public static synchronized MotoServer shared() {
    if (shared == null || !shared.process.isAlive()) {
      MotoServer s = start();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "moto-stop"));
      shared = s;
    }
    return shared;
  }

  /** Starts moto_server; fails loudly (with what to install) when it is not on PATH. */
  public static MotoServer start() {
    String exe = FreePorts.executable("moto_server");
    if (exe == null) {
      throw new IllegalStateException("moto_server is not on PATH: the Route 53 tests need moto's server"
          + " (moto 5.x with its server extra, preinstalled in this machine's Python); install it with"
          + " pip install 'moto[server]' on a machine that has PyPI");
    }
    int port = FreePorts.tcp();
    try {
      Path log = Files.createTempFile("moto-", ".log");
      Process p = new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", String.valueOf(port)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      MotoServer server = new MotoServer(p, port);
      HttpClient http = HttpClient.newHttpClient();
      try {
        await("moto_server on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .ignoreExceptions().until(() -> {
              if (!p.isAlive()) {
                throw new AssertionError("moto_server exited: " + Files.readString(log));
              }
              return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/moto-api/")).build(),
                  HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** A direct client for setting up and inspecting zones (not through Pharos). */
  public Route53Client client() {
    return client;
  }

  /** Creates a hosted zone; returns its id without the /hostedzone/ prefix. */
  public String createZone(String name) {
    return client.createHostedZone(r -> r.name(name).callerReference(UUID.randomUUID().toString())).hostedZone().id()
        .replace("/hostedzone/", "");
  }

  /** Every record set of a zone, as moto holds it. */
  public List<ResourceRecordSet> recordSets(String zoneId) {
    return client.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets();
  }

  @Override
  public void close() {
    client.close();
    FreePorts.stop(process);
  }
}
