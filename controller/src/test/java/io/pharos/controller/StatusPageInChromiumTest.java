package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of three real controllers ({@link TestCluster}) in headless Chromium (the Debian
 * package, driven by Playwright): region b goes from Operational to Major Outage when it dies and
 * back when an operator fails it back, on a page that is never reloaded (server-sent events); the
 * resolved incident is linked from the history. The incident report of that real failover is read
 * from the controllers, no drill runner involved. Screenshots and the report are kept under
 * {@code target/status-page/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageInChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path ARTIFACTS = Path.of("target", "status-page");
  @TempDir
  static Path dir;
  TestCluster cluster;
  Playwright playwright;
  BrowserContext browser;
  Page page;
  /** The controller whose page the browser shows: a follower, to show any controller serves it. */
  PharosController shown;
  String incidentId;

  @BeforeAll
  void start() throws Exception {
    assertThat(CHROMIUM).as("Chromium must be installed (apt-get install chromium; .ci/run does it)").exists();
    Files.createDirectories(ARTIFACTS);
    cluster = new TestCluster(dir);
    cluster.startAgents();
    await().atMost(Duration.ofSeconds(40)).until(() -> cluster.leader() != null);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD",
        "1")));
    browser = playwright.chromium().launchPersistentContext(Files.createTempDirectory("pharos-chromium-"),
        new BrowserType.LaunchPersistentContextOptions().setExecutablePath(CHROMIUM).setHeadless(true)
            .setViewportSize(1000, 900).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync")));
    page = browser.newPage();
    page.setDefaultTimeout(30_000);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void everyComponentIsOperationalOnAPublicPage() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> cluster.controllers.forEach(c ->
        c.view().status().get("regions").forEach(r -> assertThat(r.get("state").asText()).isEqualTo("HEALTHY"))));
    shown = cluster.controllers.stream().filter(c -> !c.raft().isActingLeader()).findFirst().orElseThrow();
    page.navigate(base(shown) + "/status");
    assertThat(page.title()).isEqualTo("Service status");
    page.locator("#overall[data-state=operational]").waitFor();
    for (String r : List.of("a", "b", "c", "app.pharos.test")) {
      assertThat(page.locator("tr[data-component='" + r + "']").getAttribute("data-state")).isEqualTo("operational");
    }
    assertThat(page.locator(".day").count()).isEqualTo(90);
    page.screenshot(new Page.ScreenshotOptions().setPath(ARTIFACTS.resolve("1-operational.png")).setFullPage(true));
    // public, without a token, and nothing internal on it: no address, controller id or token
    HttpResponse<String> json = get(shown, "/status.json", null);
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(MAPPER.readTree(json.body()).path("overall").asText()).isEqualTo("Operational");
    String html = page.content();
    for (String secret : List.of("127.0.0.1", "c-a", "c-b", "c-c", cluster.viewerToken, cluster.operatorToken,
        cluster.adminToken)) {
      assertThat(html).doesNotContain(secret);
      assertThat(json.body()).doesNotContain(secret);
    }
  }

  @Test
  @Order(2)
  void aLostRegionTurnsMajorOutageLiveWithTheIncidentTimeline() throws Exception {
    int updatesBefore = updates();
    cluster.dead.add("b");
    // the page is not reloaded: the server-sent event brings the change
    page.locator("tr[data-component='b'][data-state=major-outage]").waitFor();
    page.locator("tr[data-component='app.pharos.test'][data-state=degraded]").waitFor();
    page.locator("#overall[data-state=degraded]").waitFor();
    Locator incident = page.locator("section.incident.current");
    incident.waitFor();
    // the live timeline grows until the DNS change is verified
    page.waitForCondition(() -> incident.innerText().contains("Every name server answers the new addresses."),
        new Page.WaitForConditionOptions().setTimeout(30_000));
    assertThat(incident.innerText()).contains("b unavailable", "Region b is failing",
        "Traffic is being moved away from b");
    assertThat(updates()).isGreaterThan(updatesBefore);
    incidentId = incident.getAttribute("data-incident");
    page.screenshot(new Page.ScreenshotOptions().setPath(ARTIFACTS.resolve("2-major-outage.png")).setFullPage(true));
  }

  @Test
  @Order(3)
  void theRealFailoverHasItsIncidentReportWithoutADrillRunner() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> "Monitoring".equals(cluster.leader().state().statusHistory()
        .incident(incidentId).status().label()));
    HttpResponse<String> list = get(shown, "/v1/incidents", cluster.viewerToken);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(MAPPER.readTree(list.body()).path("incidents").get(0).path("id").asText()).isEqualTo(incidentId);
    assertThat(get(shown, "/v1/incidents", null).statusCode()).as("the report is the viewers'").isEqualTo(401);
    JsonNode report = MAPPER.readTree(get(shown, "/v1/incidents/" + incidentId, cluster.viewerToken).body());
    assertThat(report.path("schema").asText()).isEqualTo("pharos.incident-report/v1");
    assertThat(report.path("origin").asText()).isEqualTo("the first failing probe");
    assertThat(report.path("rto").path("actualMs").asLong()).as("measured: first failing probe → verified")
        .isPositive().isLessThan(30_000);
    List<String> happened = new java.util.ArrayList<>();
    report.path("timeline").forEach(m -> {
      if (!m.path("sinceFaultMs").isNull()) {
        happened.add(m.path("key").asText());
      }
    });
    assertThat(happened).anyMatch(k -> k.equals("detected")).anyMatch(k -> k.startsWith("dns-committed:"))
        .anyMatch(k -> k.startsWith("verified:"));
    assertThat(report.path("alerts").size()).as("alerts journaled while it was open").isGreaterThanOrEqualTo(0);
    // every controller renders the same report from its own replica
    for (PharosController c : cluster.controllers) {
      await().atMost(Duration.ofSeconds(10)).until(() -> MAPPER.readTree(get(c, "/v1/incidents/" + incidentId,
          cluster.viewerToken).body()).path("timeline").equals(report.path("timeline")));
    }
    Files.writeString(ARTIFACTS.resolve("incident-report.md"), get(shown, "/v1/incidents/" + incidentId
        + "?format=md", cluster.viewerToken).body());
    Files.writeString(ARTIFACTS.resolve("incident-report.html"), get(shown, "/v1/incidents/" + incidentId
        + "?format=html", cluster.viewerToken).body());
  }

  @Test
  @Order(4)
  void aFailbackBringsItBackToOperationalAndTheIncidentIntoTheHistory() throws Exception {
    cluster.dead.remove("b");
    PharosController leader = cluster.leader();
    HttpResponse<String> r = post(leader, "/v1/regions/b/failback", "{\"reason\":\"fixed\",\"force\":true}",
        cluster.operatorToken);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    page.locator("tr[data-component='b'][data-state=operational]").waitFor();
    page.locator("#overall[data-state=operational]").waitFor();
    Locator past = page.locator(".past li[data-incident='" + incidentId + "']");
    past.waitFor();
    assertThat(page.locator("section.incident.current").count()).isZero();
    assertThat(page.locator(".day.major-outage").count()).as("today's cell").isEqualTo(1);
    page.screenshot(new Page.ScreenshotOptions().setPath(ARTIFACTS.resolve("3-operational-again.png"))
        .setFullPage(true));
    past.locator("a").click();
    page.waitForURL("**/status/incidents/" + incidentId);
    assertThat(page.locator("h1").innerText()).contains("b unavailable");
    assertThat(page.locator(".updates").innerText()).contains("Resolved", "Traffic is returning to b");
    page.screenshot(new Page.ScreenshotOptions().setPath(ARTIFACTS.resolve("4-incident.png")).setFullPage(true));
    JsonNode report = MAPPER.readTree(get(shown, "/v1/incidents/" + incidentId, cluster.viewerToken).body());
    assertThat(report.path("status").asText()).isEqualTo("Resolved");
    assertThat(report.path("impact").toString()).contains("b out of traffic from");
    Files.writeString(ARTIFACTS.resolve("incident-report-resolved.md"), get(shown, "/v1/incidents/" + incidentId
        + "?format=md", cluster.viewerToken).body());
  }

  private int updates() {
    Object n = page.evaluate("() => Number(document.body.dataset.updates || 0)");
    return ((Number) n).intValue();
  }

  private static String base(PharosController c) {
    return "http://127.0.0.1:" + c.apiPort();
  }

  private static HttpResponse<String> get(PharosController c, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(c) + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(PharosController c, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(c) + path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
