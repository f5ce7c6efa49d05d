package io.pharos.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Helm chart, linted and rendered with several value sets; the rendered objects checked as parsed YAML. */
class ChartTest {
  @ParameterizedTest
  @ValueSource(strings = {"base", "base,existing-secret", "base,monitoring", "base,host-network", "base,node-label",
      "base,cert-manager", "base,five-peers"})
  void lintsCleanWithEachValueSet(String sets, @TempDir Path tmp) {
    LintResult lint = Chart.lint(tmp, sets.split(","));
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void oneRegionOfThreeRunsItsAgentsAndItsOneController() {
    Chart.Manifests m = Chart.render("base");
    JsonNode sts = m.get("StatefulSet", "pharos-controller");
    assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(sts.at("/spec/serviceName").asText()).isEqualTo("pharos-controller-headless");
    JsonNode pod = sts.at("/spec/template/spec");
    JsonNode c = pod.at("/containers/0");
    assertThat(texts(c.path("args"))).containsExactly("controller", "--config", "/etc/pharos/pharos.yaml",
        "--data-dir", "/data", "--bind", "0.0.0.0");
    assertThat(env(c)).containsEntry("PHAROS_CONTROLLER_IDS", "c1");
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
    assertThat(texts(c.at("/lifecycle/preStop/exec/command"))).containsExactly("sleep", "5");
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
    assertThat(pod.at("/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey")
        .asText()).isEqualTo("kubernetes.io/hostname");
    JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
    assertThat(claim.at("/metadata/name").asText()).isEqualTo("data");
    assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("2Gi");
    assertThat(mountPaths(c)).contains("/data", "/tmp", "/etc/pharos/raft", "/etc/pharos/keys");
    assertThat(texts(pod.at("/volumes").findValues("path"))).contains("raft-ca.crt", "raft-c1.crt", "raft-c1.key",
        "controller-key.pem", "api-tokens");

    JsonNode ds = m.get("DaemonSet", "pharos-agent");
    JsonNode a = ds.at("/spec/template/spec/containers/0");
    assertThat(texts(a.path("args"))).containsSubsequence("agent", "--region", "eu-west", "--listen", "0.0.0.0:9470");
    assertThat(env(a)).containsKey("PHAROS_REGION_KEY").doesNotContainKey("PHAROS_MASTER_SECRET");
    assertThat(ds.at("/spec/template/spec/tolerations/0/operator").asText()).isEqualTo("Exists");
    assertThat(a.at("/resources/limits/memory").asText()).isNotEmpty();
    assertThat(ds.at("/spec/template/spec/hostNetwork").isMissingNode()).isTrue();

    // no RBAC, no monitoring objects unless asked for
    assertThat(m.ofKind("ClusterRole")).isEmpty();
    assertThat(m.ofKind("ServiceAccount")).isEmpty();
    assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    assertThat(m.ofKind("PrometheusRule")).isEmpty();
    assertThat(m.ofKind("PodDisruptionBudget")).hasSize(2);
    assertThat(m.get("PodDisruptionBudget", "pharos-controller").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
  }

  @Test
  void servicesServeTheApiAndTheEmbeddedDnsOnUdpAndTcp53() {
    Chart.Manifests m = Chart.render("base");
    JsonNode svc = m.get("Service", "pharos-controller");
    List<String> ports = new ArrayList<>();
    svc.at("/spec/ports").forEach(p -> ports.add(p.path("port").asInt() + "/" + p.path("protocol").asText()
        + "->" + p.path("targetPort").asText()));
    assertThat(ports).contains("8600/TCP->api", "53/UDP->dns-udp", "53/TCP->dns-tcp", "5701/TCP->hazelcast");
    JsonNode headless = m.get("Service", "pharos-controller-headless");
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    assertThat(m.get("Service", "pharos-agent").at("/spec/internalTrafficPolicy").asText()).isEqualTo("Local");
  }

  @Test
  void theRenderedConfigsLoadAsPharosConfigs() {
    Chart.Manifests m = Chart.render("base");
    PharosConfig controller = ConfigLoader.parse(m.configFile("controller.yaml"), TestConfigs.ENV);
    assertThat(controller.controllers().peers()).extracting(p -> p.id()).containsExactly("c1", "c2", "c3");
    assertThat(controller.controllers().peer("c1").orElseThrow().raft().toString()).isEqualTo("c1.pharos.test:7600");
    assertThat(controller.controllers().peer("c1").orElseThrow().dns().toString()).isEqualTo("0.0.0.0:5353");
    assertThat(controller.controllers().tls().forController("c1").certFile()).isEqualTo("/etc/pharos/raft/raft-c1.crt");
    assertThat(controller.controllers().storageDir()).isEqualTo("/data");

    Map<String, String> agentEnv = new HashMap<>();
    agentEnv.put("PHAROS_REGION_KEY", TestConfigs.regionKey("eu-west").format());
    PharosConfig agent = ConfigLoader.parse(m.configFile("agent.yaml"), agentEnv);
    // the agents start from this release's controller Service; the other regions' controllers as configured
    assertThat(agent.controllers().peer("c1").orElseThrow().hazelcast().toString())
        .isEqualTo("pharos-controller.pharos.svc:5701");
    assertThat(agent.controllers().peer("c2").orElseThrow().hazelcast().toString()).isEqualTo("c2.pharos.test:5701");
    assertThat(m.configFile("agent.yaml")).doesNotContain("controllerKeyFile").doesNotContain("tokensFile");
  }

  @Test
  void networkPolicyAdmitsRaftAndHazelcastOnlyFromPharosPodsAndThePeerBlocks() {
    JsonNode np = Chart.render("base").get("NetworkPolicy", "pharos-controller");
    JsonNode peersRule = np.at("/spec/ingress/0");
    assertThat(peersRule.path("ports").findValues("port")).extracting(JsonNode::asInt).containsExactly(7600, 5701);
    assertThat(peersRule.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("pharos");
    assertThat(texts(peersRule.path("from").findValues("cidr"))).containsExactly("10.2.0.0/16", "10.3.0.0/16");
    // the API from anyone in reach (apiFrom empty), the DNS server on UDP and TCP
    assertThat(np.at("/spec/ingress").findValues("port")).extracting(JsonNode::asInt)
        .containsExactly(7600, 5701, 8600, 5353, 5353);
  }

  @Test
  void existingSecretIsUsedAndNoSecretIsRendered() {
    Chart.Manifests m = Chart.render("base", "existing-secret");
    assertThat(m.ofKind("Secret")).isEmpty();
    JsonNode sts = m.get("StatefulSet", "pharos-controller");
    assertThat(sts.findValues("secretName")).extracting(JsonNode::asText).containsOnly("pharos-secrets");
    assertThat(sts.findValues("secretKeyRef")).extracting(r -> r.path("name").asText()).containsOnly("pharos-secrets");
    assertThat(m.get("DaemonSet", "pharos-agent").findValues("secretKeyRef")).extracting(r -> r.path("key").asText())
        .containsExactly("region-key");
  }

  @Test
  void theChartsOwnSecretHoldsEverySecretItIsGiven() {
    JsonNode secret = Chart.render("base").get("Secret", "pharos-secrets");
    List<String> keys = new ArrayList<>();
    secret.path("data").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("master-secret", "region-key", "api-tokens", "controller-key.pem",
        "raft-ca.crt", "raft-c1.crt", "raft-c1.key");
  }

  @Test
  void monitoringObjectsOnlyWhenAskedFor() {
    Chart.Manifests on = Chart.render("base", "monitoring");
    JsonNode sm = on.get("ServiceMonitor", "pharos-controller");
    assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    JsonNode rule = on.get("PrometheusRule", "pharos");
    assertThat(rule.at("/spec/groups/0/rules").findValues("alert")).extracting(JsonNode::asText)
        .contains("PharosControllerAlert", "PharosDnsProviderDown");
    Chart.Manifests off = Chart.render("base");
    assertThat(off.ofKind("ServiceMonitor")).isEmpty();
    assertThat(off.ofKind("PrometheusRule")).isEmpty();
  }

  @Test
  void hostNetworkAgents() {
    JsonNode pod = Chart.render("base", "host-network").get("DaemonSet", "pharos-agent").at("/spec/template/spec");
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
  }

  @Test
  void nodeLabelModeGrantsGetNodesAndNothingElse() {
    Chart.Manifests m = Chart.render("base", "node-label");
    JsonNode role = m.ofKind("ClusterRole").get(0);
    assertThat(role.path("rules")).hasSize(1);
    assertThat(texts(role.at("/rules/0/resources"))).containsExactly("nodes");
    assertThat(texts(role.at("/rules/0/verbs"))).containsExactly("get");
    assertThat(m.ofKind("ClusterRoleBinding")).hasSize(1);
    assertThat(m.ofKind("Role")).isEmpty();
    JsonNode pod = m.get("DaemonSet", "pharos-agent").at("/spec/template/spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("pharos-agent");
    JsonNode a = pod.at("/containers/0");
    assertThat(texts(a.path("args"))).containsSubsequence("--region-from-node", "$(NODE_NAME)", "--node-label",
        "topology.kubernetes.io/region").doesNotContain("--region");
    assertThat(env(a)).containsKeys("NODE_NAME", "PHAROS_REGION_KEY_EU_WEST", "PHAROS_REGION_KEY_US_EAST",
        "PHAROS_REGION_KEY_AP_SOUTH");
    // the controllers keep no service account token
    assertThat(m.get("StatefulSet", "pharos-controller").at("/spec/template/spec/automountServiceAccountToken")
        .asBoolean()).isFalse();
  }

  @Test
  void certManagerCertificatesNameTheControllersRaftHost() {
    Chart.Manifests m = Chart.render("base", "cert-manager");
    JsonNode cert = m.get("Certificate", "pharos-raft-c1");
    assertThat(cert.at("/spec/commonName").asText()).isEqualTo("c1");
    assertThat(texts(cert.at("/spec/dnsNames"))).containsExactly("c1.pharos.test");
    assertThat(cert.at("/spec/privateKey/encoding").asText()).isEqualTo("PKCS8");
    JsonNode sources = m.get("StatefulSet", "pharos-controller").at("/spec/template/spec/volumes")
        .findValue("projected").path("sources");
    assertThat(sources.at("/0/secret/name").asText()).isEqualTo("pharos-raft-c1");
  }

  @Test
  void fivePeersTwoHereGivesTwoControllersAndAPeerServiceEach() {
    Chart.Manifests m = Chart.render("base", "five-peers");
    JsonNode c = m.get("StatefulSet", "pharos-controller").at("/spec/template/spec/containers/0");
    assertThat(env(c)).containsEntry("PHAROS_CONTROLLER_IDS", "c1 c4");
    assertThat(m.get("Service", "pharos-controller-1").at("/spec/selector/statefulset.kubernetes.io~1pod-name")
        .asText()).isEqualTo("pharos-controller-1");
    assertThat(m.get("Service", "pharos-controller-0").at("/spec/type").asText()).isEqualTo("LoadBalancer");
  }

  // --- refused values: the field is named

  @Test
  void anUnknownKeyIsRefusedNamingIt() {
    assertRefused(Map.of("controller.replicsa", 1), "replicsa");
    assertRefused(Map.of("agnet.enabled", true), "agnet");
  }

  @Test
  void aWrongTypeIsRefusedNamingTheField() {
    assertRefused(Map.of("controller.replicas", "two"), "replicas");
    assertRefused(Map.of("agent.hostNetwork", "yes"), "hostNetwork");
  }

  @ParameterizedTest
  @ValueSource(strings = {"peers-2", "peers-4"})
  void aPeerListOfAnEvenSizeIsRefused(String values) {
    assertThatThrownBy(() -> Chart.render("base", values))
        .hasMessageContaining("peers");
  }

  @Test
  void aDuplicatePeerIdIsRefusedNamingIt() {
    assertThatThrownBy(() -> Chart.render("base", "duplicate-id")).hasMessageContaining("peers[2].id")
        .hasMessageContaining("'c1' is used twice");
  }

  @Test
  void moreReplicasThanThisRegionsPeersIsRefused() {
    assertRefused(Map.of("controller.replicas", 2), "controller.replicas");
  }

  @Test
  void aMissingSecretIsRefusedNamingIt() {
    assertRefused(Map.of("secrets.masterSecret", ""), "secrets.masterSecret");
  }

  private static void assertRefused(Map<String, Object> set, String field) {
    assertThatThrownBy(() -> Chart.render(List.of("base"), set)).hasMessageContaining(field);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> texts(List<JsonNode> nodes) {
    return nodes.stream().flatMap(n -> n.isArray() ? texts(n).stream() : java.util.stream.Stream.of(n.asText()))
        .toList();
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> out = new HashMap<>();
    container.path("env").forEach(e -> out.put(e.path("name").asText(), e.path("value").asText()));
    return out;
  }

  private static List<String> mountPaths(JsonNode container) {
    List<String> out = new ArrayList<>();
    container.path("volumeMounts").forEach(v -> out.add(v.path("mountPath").asText()));
    return out;
  }
}
