package io.pharos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An agent's region read from its Kubernetes node's label (the chart's node-label mode: one cluster, agents
 * on nodes of several regions). Reads {@code GET /api/v1/nodes/<name>} with the pod's service account (the
 * chart grants {@code get nodes} and nothing else), trusting only the cluster's CA.
 */
final class NodeRegion {
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeRegion() {}

  /** The value of {@code label} on node {@code node}; fails naming what is missing. */
  static String read(String node, String label, Map<String, String> env, Path serviceAccount) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null || host.isBlank()) {
      throw new IllegalStateException("--region-from-node: KUBERNETES_SERVICE_HOST is not set: not running in a"
          + " Kubernetes pod; pass --region instead");
    }
    try {
      String token = Files.readString(serviceAccount.resolve("token")).trim();
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(serviceAccount.resolve("ca.crt")))
          .connectTimeout(Duration.ofSeconds(5)).build();
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + h + ":" + port + "/api/v1/nodes/"
              + URLEncoder.encode(node, StandardCharsets.UTF_8)))
          .header("Authorization", "Bearer " + token).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(10)).GET().build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("--region-from-node: reading node '" + node + "' answered HTTP "
            + response.statusCode() + " (the chart's node-label mode grants get on nodes to the agent's service"
            + " account)");
      }
      return labelOf(node, label, response.body());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("--region-from-node: cannot read node '" + node + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--region-from-node: interrupted", e);
    }
  }

  /** The label's value in a node's JSON; fails naming the node and the label when it has none. */
  static String labelOf(String node, String label, String nodeJson) throws IOException {
    JsonNode value = JSON.readTree(nodeJson).path("metadata").path("labels").path(label);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalStateException("--region-from-node: node '" + node + "' has no label " + label);
    }
    return value.asText();
  }

  /**
   * The environment with {@code PHAROS_REGION_KEY} set from {@code PHAROS_REGION_KEY_<REGION>} (upper case,
   * '-' and '.' as '_'), where the chart puts every region's key in node-label mode; unchanged when there is
   * no such variable.
   */
  static Map<String, String> withRegionKey(Map<String, String> env, String region) {
    String name = "PHAROS_REGION_KEY_" + region.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    String key = env.get(name);
    if (key == null) {
      return env;
    }
    Map<String, String> out = new java.util.HashMap<>(env);
    out.put("PHAROS_REGION_KEY", key);
    return Map.copyOf(out);
  }

  private static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca" + i++, (X509Certificate) c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
