package io.pharos.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opens a drill's HTML report (rendered from a report recorded by a real hard-region-loss drill
 * on the local sandbox) in headless Chromium, the Debian package: the timeline SVG must be
 * visible with a mark per observed step, and a screenshot is kept under target/ as an artifact.
 */
class HtmlReportInChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theTimelineSvgIsVisibleInHeadlessChromium() throws Exception {
    assertThat(CHROMIUM).as("Chromium must be installed (apt-get install chromium; .ci/run does it)").exists();
    DrillReport r;
    try (InputStream in = getClass().getResourceAsStream("/reports/hard-region-loss.json")) {
      r = DrillReport.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Path dir = Files.createDirectories(Path.of("target", "chromium"));
    Path html = new DrillStore(dir).save(r).resolve("report.html");
    Path profile = Files.createTempDirectory("pharos-chromium-");
    try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        BrowserContext browser = pw.chromium().launchPersistentContext(profile,
            new BrowserType.LaunchPersistentContextOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setViewportSize(1100, 900).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync")))) {
      Page page = browser.newPage();
      page.navigate(html.toUri().toString());
      Locator svg = page.locator("svg#timeline");
      assertThat(svg.isVisible()).as("timeline SVG visible").isTrue();
      assertThat(svg.boundingBox().width).isGreaterThan(500);
      assertThat(svg.boundingBox().height).isGreaterThan(200);
      long seen = r.timeline().stream().filter(io.pharos.core.report.Mark::happened).count();
      assertThat(page.locator("svg#timeline circle.mark").count()).isEqualTo((int) seen);
      assertThat(page.locator("svg#timeline circle.mark[data-key=dns-committed]").isVisible()).isTrue();
      assertThat(page.title()).contains("Drill report");
      assertThat(page.locator("table.signoff").isVisible()).isTrue();
      Path shot = dir.resolve("drill-report.png");
      page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
      svg.screenshot(new Locator.ScreenshotOptions().setPath(dir.resolve("drill-timeline.png")));
      assertThat(Files.size(shot)).isGreaterThan(10_000);
    }
  }
}
