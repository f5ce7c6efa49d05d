package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.agent.AgentOptions;
import io.pharos.agent.PharosAgent;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.metrics.PromText;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Three real controllers and a real agent, scraped over HTTP: the series docs/metrics.md lists
 * are there with their labels, and every metric the Grafana dashboard and the Prometheus rules
 * name is one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityTest {
  /** Every series name any scrape of this test saw: what the dashboard and the rules may use. */
  static final Set<String> SEEN = new ConcurrentSkipListSet<>();
  /** Prometheus's own series, which no Pharos process exports. */
  static final Set<String> PROMETHEUS_OWN = Set.of("up");
  @TempDir
  static Path dir;
  TestCluster cluster;
  Vertx vertx;
  PharosAgent agent;

  @BeforeAll
  void start() throws Exception {
    cluster = new TestCluster(dir);
    cluster.startAgents();
    vertx = Vertx.vertx();
    agent = new PharosAgent(TestConfigs.forAgent(cluster.config, "a"),
        AgentOptions.of("agent-a1", "a", new HostPort("127.0.0.1", 0)), vertx, Clock.systemUTC());
    agent.start().await();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null && agent.status().ready());
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.stop().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void the_controller_exports_dns_server_provider_and_raft_series_with_their_labels() throws Exception {
    PharosController leader = cluster.leader();
    // a newly elected leader serves the zone once it has applied the journal (SERVFAIL before)
    await().atMost(Duration.ofSeconds(15)).until(() -> query(leader.dnsPort(), "app.pharos.test.") == Rcode.NOERROR);
    assertThat(query(leader.dnsPort(), "www.example.com.")).isEqualTo(Rcode.REFUSED);

    PromText m = PromText.parse(scrape(leader.apiPort(), "/metrics"));
    assertThat(m.value("pharos_dns_server_answers_total", "rcode", "NOERROR").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(m.value("pharos_dns_server_answers_total", "rcode", "REFUSED").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(m.value("pharos_dns_server_answers_total", "rcode", "SERVFAIL")).isPresent();
    assertThat(m.value("pharos_dns_server_queries_total", "transport", "udp").orElseThrow()).isGreaterThanOrEqualTo(2);
    assertThat(m.value("pharos_dns_server_queries_total", "transport", "tcp")).isPresent();
    assertThat(m.value("pharos_dns_server_rate_limited_total")).contains(0.0);

    assertThat(m.value("pharos_dns_provider_requests_total", "provider", "embedded")).isPresent();
    assertThat(m.find("pharos_dns_provider_failures_total", "provider", "embedded"))
        .extracting(s -> s.label("kind")).containsExactlyInAnyOrder("transient", "permanent");
    assertThat(m.find("pharos_dns_provider_breaker_state", "provider", "embedded"))
        .extracting(s -> s.label("state")).containsExactlyInAnyOrder("closed", "open", "half_open");
    assertThat(m.value("pharos_dns_provider_health", "provider", "embedded", "state", "up")).contains(1.0);
    assertThat(m.value("pharos_dns_provider_retries_total", "provider", "embedded")).contains(0.0);
    assertThat(m.value("pharos_dns_provider_throttled_total", "provider", "embedded")).contains(0.0);

    assertThat(m.value("pharos_raft_leader")).contains(1.0);
    assertThat(m.value("pharos_raft_role", "role", "leader")).contains(1.0);
    assertThat(m.value("pharos_raft_in_majority")).contains(1.0);
    assertThat(m.value("pharos_raft_term").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(m.value("pharos_raft_commit_index").orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(m.value("pharos_raft_apply_lag")).isPresent();
    assertThat(m.find("pharos_raft_follower_lag")).as("the leader's followers, by id")
        .extracting(s -> s.label("follower")).hasSize(2).allSatisfy(f -> assertThat(f).startsWith("c-"));
    assertThat(m.samples()).allSatisfy(s -> assertThat(s.labels()).containsKey("controller"));

    PharosController follower = cluster.controllers.stream().filter(c -> c != leader).findFirst().orElseThrow();
    PromText f = PromText.parse(scrape(follower.apiPort(), "/metrics"));
    assertThat(f.value("pharos_raft_leader")).contains(0.0);
    assertThat(f.value("pharos_raft_role", "role", "follower")).contains(1.0);
    assertThat(f.find("pharos_raft_follower_lag")).as("only the leader has followers").isEmpty();
  }

  @Test
  @Order(2)
  void the_agent_exports_probe_report_and_connection_series() {
    await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().transport().sent() > 0);
    PromText m = PromText.parse(scrape(agent.httpPort(), "/metrics"));
    assertThat(m.value("pharos_agent_connected")).contains(1.0);
    assertThat(m.value("pharos_agent_reports_sent_total").orElseThrow()).isPositive();
    // nothing listens on the config's endpoints: every probe is refused
    assertThat(m.find("pharos_agent_probes_total", "outcome", "refused")).extracting(s -> s.label("region"))
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(m.find("pharos_agent_probe_latency_seconds_count")).hasSize(3);
  }

  @Test
  @Order(3)
  void a_lost_region_shows_on_the_failover_series() {
    PharosController leader = cluster.leader();
    PromText before = PromText.parse(scrape(leader.apiPort(), "/metrics"));
    assertThat(before.value("pharos_region_state", "region", "c", "state", "healthy")).contains(1.0);
    assertThat(before.value("pharos_region_out", "region", "c")).contains(0.0);
    assertThat(before.value("pharos_region_agents_live", "region", "c").orElseThrow()).isPositive();
    assertThat(before.value("pharos_dns_weight", "record", "app.pharos.test", "region", "c").orElseThrow())
        .isPositive();

    cluster.dead.add("c");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null
        && cluster.leader().state().out().contains("c"));
    PharosController now = cluster.leader();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      PromText m = PromText.parse(scrape(now.apiPort(), "/metrics"));
      assertThat(m.value("pharos_region_state", "region", "c", "state", "down")).contains(1.0);
      assertThat(m.value("pharos_region_out", "region", "c")).contains(1.0);
      assertThat(m.value("pharos_dns_weight", "record", "app.pharos.test", "region", "c")).contains(0.0);
      assertThat(m.value("pharos_region_last_change_timestamp_seconds", "region", "c").orElseThrow()).isPositive();
      assertThat(m.find("pharos_region_transitions_total", "region", "c")).isNotEmpty();
      assertThat(m.value("pharos_region_votes_failing", "region", "c").orElseThrow())
          .isGreaterThanOrEqualTo(m.value("pharos_region_votes_needed", "region", "c").orElseThrow());
    });
    for (PharosController c : cluster.controllers) {
      scrape(c.apiPort(), "/metrics");
    }
  }

  @Test
  @Order(4)
  void every_metric_the_dashboard_and_the_rules_name_is_exported() throws Exception {
    scrape(agent.httpPort(), "/metrics");
    Path root = root();
    List<String> exprs = new ArrayList<>();
    expressions(new ObjectMapper().readTree(root.resolve("deploy/grafana/pharos.json").toFile()), exprs);
    Map<String, Object> rules = new Yaml().load(Files.readString(root.resolve("deploy/prometheus/rules.yaml")));
    int ruleCount = 0;
    for (Object g : (List<?>) rules.get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        assertThat(rule.get("alert")).as("every rule is an alert with a name").isNotNull();
        assertThat(rule.get("labels")).asString().contains("severity");
        exprs.add(String.valueOf(rule.get("expr")));
        ruleCount++;
      }
    }
    Set<String> named = new TreeSet<>();
    Map<String, String> where = new java.util.HashMap<>();
    for (String e : exprs) {
      Set<String> names = PromQlNames.of(e);
      assertThat(names).as("an expression that names no metric: " + e).isNotEmpty();
      names.forEach(n -> where.putIfAbsent(n, e));
      named.addAll(names);
    }
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(SEEN);
    missing.removeAll(PROMETHEUS_OWN);
    assertThat(missing).as("named by the dashboard or rules but exported by no controller or agent: "
        + missing.stream().map(n -> n + " in " + where.get(n)).toList()).isEmpty();
    assertThat(named).contains("pharos_agent_probe_latency_seconds_bucket", "pharos_region_state",
        "pharos_raft_in_majority", "pharos_dns_provider_failures_total", "pharos_agent_reports_dropped_total");
    long t0 = System.nanoTime();
    int bytes = 0;
    for (int i = 0; i < 50; i++) {
      bytes = cluster.leader().view().metrics().length();
    }
    long t1 = System.nanoTime();
    int agentBytes = 0;
    for (int i = 0; i < 50; i++) {
      agentBytes = agent.metrics().scrape().length();
    }
    long t2 = System.nanoTime();
    System.out.printf("[measure] one scrape, in process (mean of 50): controller %.2f ms for %d bytes;"
        + " agent (3 endpoints) %.2f ms for %d bytes%n", (t1 - t0) / 50e6, bytes, (t2 - t1) / 50e6, agentBytes);
    System.out.printf("[measure] dashboard and rules: %d expressions (%d rules) naming %d metrics, all exported;"
        + " %d series names seen%n", exprs.size(), ruleCount, named.size(), SEEN.size());

    String docs = Files.readString(root.resolve("docs/metrics.md"));
    Set<String> undocumented = new TreeSet<>();
    for (String n : SEEN) {
      String family = n.replaceAll("_(bucket|count|sum|max)$", "");
      if (n.startsWith("pharos_") && !docs.contains(n) && !docs.contains(family)) {
        undocumented.add(n);
      }
    }
    assertThat(undocumented).as("exported but not in docs/metrics.md").isEmpty();
  }

  /** Every PromQL expression of a Grafana dashboard: targets, annotations, query variables. */
  static void expressions(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (f.getKey().equals("expr") && f.getValue().isTextual()) {
          out.add(f.getValue().asText());
        } else if (f.getKey().equals("definition") && f.getValue().isTextual()) {
          out.add(f.getValue().asText());
        } else {
          expressions(f.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> expressions(n, out));
    }
  }

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("deploy"))) {
      p = p.getParent();
    }
    assertThat(p).as("the repository root (with deploy/)").isNotNull();
    return p;
  }

  static int query(int port, String name) throws Exception {
    SimpleResolver r = new SimpleResolver("127.0.0.1");
    r.setPort(port);
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN))).getRcode();
  }

  static String scrape(int port, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      SEEN.addAll(PromText.parse(r.body()).names());
      Path kept = Path.of("target", "observability", "port-" + port + ".prom");
      Files.createDirectories(kept.getParent());
      Files.writeString(kept, r.body());
      return r.body();
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError("GET " + path + " on port " + port + " failed: " + e, e);
    }
  }
}
