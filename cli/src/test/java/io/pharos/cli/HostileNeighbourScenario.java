package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.drill.SandboxEnvironment;
import io.pharos.chaos.observe.DnsQuery;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.model.EventType;
import io.pharos.core.model.Mode;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.attack.KeyLocker;
import io.pharos.testkit.attack.ModeRecordForger;
import io.pharos.testkit.attack.MultipartUploader;
import io.pharos.testkit.attack.Outsider;
import io.pharos.testkit.attack.RaftIntruder;
import io.pharos.testkit.attack.Replayer;
import io.pharos.testkit.attack.ReportFlooder;
import io.pharos.testkit.attack.RoleOverreach;
import io.pharos.testkit.attack.SequenceJumper;
import io.pharos.testkit.attack.TokenGuesser;
import io.pharos.testkit.attack.WrongRegionReporter;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-neighbour suite (issue 14) on the shared multi-process sandbox: an attacker on the
 * controllers' network with the cluster name and their addresses - no certificate, no master
 * secret, no token (and, for the report attacks of a compromised agent, one region's key) - tries
 * every attack of the issue while a region is lost, and the region still fails over.
 *
 * <ol>
 *   <li>commit a Raft entry (plaintext, TLS without a certificate, a foreign CA, a controllers'
 *       certificate that names no controller): refused;
 *   <li>lock every visible map key and the mode keys, and forge mode records for every region
 *       (legacy, unsigned, own key, the controllers' key id) before and after the loss; meanwhile
 *       flood the report topics with 1 MiB frames; then kill one region's app: the fence and the DNS
 *       change land, agents keep the real records, no other region looks silent;
 *   <li>reports for another region with one region's key, a replayed capture, a forged sequence
 *       jump: refused and counted, the jump ends with the victim agent's boot;
 *   <li>unauthenticated multipart uploads (401, no file), a viewer's token on operator and admin
 *       calls (403), and last token guessing (429).
 * </ol>
 */
final class HostileNeighbourScenario {
  private static final Pattern SAMPLE = Pattern.compile("^(pharos_reports_[a-z_]+_total)\\{([^}]*)}\\s+(\\S+)$");

  private final LocalSandbox sandbox;
  private final SandboxEnvironment env;
  private final SandboxRegion watcher;
  private final SandboxRegion lost;

  HostileNeighbourScenario(LocalSandbox sandbox, SandboxEnvironment env) {
    this.sandbox = sandbox;
    this.env = env;
    this.watcher = sandbox.region("eu-west");
    this.lost = sandbox.region("ap-south");
  }

  void run() throws Exception {
    String group = sandbox.raftGroup();
    raftIntrusionsAreRefused(group);
    try (Outsider outsider = Outsider.connect(group, sandbox.hazelcastAddresses())) {
      regionLossUnderAttackStillFailsOver(outsider, group);
    }
    DrillSupport.settle(env);
    try (Outsider outsider = Outsider.connect(group, sandbox.hazelcastAddresses())) {
      reportAttacksAreRefusedAndCounted(outsider);
    }
    DrillSupport.settle(env);
    apiAttacksAreRefused();
  }

  private void raftIntrusionsAreRefused(String group) {
    long term = sandbox.status(watcher).orElseThrow().path("term").asLong();
    List<RaftIntruder.Attempt> attempts = new RaftIntruder(group, sandbox.raftAddresses(), Duration.ofSeconds(5))
        .everyAttempt(sandbox.tls().authority(), RaftIntruder.pauseEntry(term));
    attempts.forEach(a -> System.out.printf("[hostile] raft %s: %s (%s) in %d ms%n", a.how(),
        a.accepted() ? "ACCEPTED" : "refused", a.detail(), a.took().toMillis()));
    assertThat(attempts).hasSize(4).noneMatch(RaftIntruder.Attempt::accepted);
    for (SandboxRegion r : sandbox.regions()) {
      assertThat(sandbox.status(r).orElseThrow().path("automation").toString()).as("automation on " + r.controllerId())
          .doesNotContain("owned by an outsider");
    }
  }

  private void regionLossUnderAttackStillFailsOver(Outsider outsider, String group) throws Exception {
    List<String> regions = sandbox.regions().stream().map(SandboxRegion::name).toList();
    String keyId = Http.get(watcher.agentUrl() + "/v1/mode").orElseThrow().json().path("keyId").asText();
    KeyLocker locker = new KeyLocker(outsider).lockEveryVisibleKey().lockModeKeys(regions);
    System.out.printf("[hostile] %d map keys locked%n", locker.locked().size());
    ModeRecordForger forger = new ModeRecordForger(outsider, group);
    regions.forEach(r -> forger.plantAll(r, Mode.READ_ONLY, keyId));
    double oversizedBefore = counter("pharos_reports_rejected_total", "oversized");
    double acceptedBefore = counter("pharos_reports_accepted_total", null);
    CompletableFuture<ReportFlooder.Result> flood = CompletableFuture.supplyAsync(() ->
        new ReportFlooder(outsider).flood(150, 1 << 20, Duration.ofSeconds(30)));

    long t0 = System.currentTimeMillis();
    lost.app().kill();
    EventFeed feed = new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), t0,
        sandbox.viewerToken());
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      feed.poll();
      return feed.all().stream().anyMatch(e -> e.type() == EventType.COMPLETED && lost.name().equals(e.region()));
    });
    forger.plantAll(lost.name(), Mode.READ_WRITE, keyId); // try to undo the fence once it landed
    List<PharosEvent> events = feed.all();
    long detected = at(events, EventType.DETECTED) - t0;
    long fenced = at(events, EventType.FENCED) - t0;
    long dns = at(events, EventType.DNS_COMMITTED) - t0;
    System.out.printf("[hostile] region loss under attack (%d keys locked, forged records, report flood): detected"
        + " %d ms, fenced %d ms, DNS committed %d ms after the fault%n", locker.locked().size(), detected, fenced, dns);
    assertThat(events.stream().filter(e -> e.type() == EventType.DECIDED).map(PharosEvent::region))
        .as("only the lost region failed over").containsOnly(lost.name());

    for (SandboxRegion r : sandbox.regions()) {
      assertThat(DnsQuery.answer(r.dnsAddress(), sandbox.recordName(), "A").orElseThrow()).as("DNS of "
          + r.controllerId()).doesNotContain(lost.target()).contains(watcher.target());
    }
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode m = Http.get(lost.agentUrl() + "/v1/mode").orElseThrow().json();
      assertThat(m.path("mode").asText()).as("the lost region's agent keeps the real fence").isEqualTo("read-only");
      assertThat(m.path("token").asText()).isNotEqualTo(ModeRecordForger.HUGE.toString());
    });
    for (SandboxRegion r : sandbox.regions()) {
      if (r != lost) {
        JsonNode m = Http.get(r.agentUrl() + "/v1/mode").orElseThrow().json();
        assertThat(m.path("mode").asText()).as("forged read-only for " + r.name() + " not believed")
            .isEqualTo("read-write");
      }
    }
    ReportFlooder.Result f = flood.get();
    await().atMost(Duration.ofSeconds(20)).until(() -> counter("pharos_reports_rejected_total", "oversized")
        - oversizedBefore >= f.sent());
    double real = counter("pharos_reports_accepted_total", null) - acceptedBefore;
    System.out.printf("[hostile] flood: %d x 1 MiB frames in %d ms, all dropped as oversized; %.0f real reports"
        + " accepted meanwhile%n", f.sent(), f.took().toMillis(), real);
    assertThat(real).as("real reports still counted during the flood").isPositive();
    assertThat(events.stream().filter(e -> e.type() == EventType.ALERT && "MonitoringPartition".equals(e.code())))
        .as("no region looked silent to the others").isEmpty();
    sandbox.startApp(lost);
  }

  private void reportAttacksAreRefusedAndCounted(Outsider outsider) throws Exception {
    double badSignature = counter("pharos_reports_rejected_total", "bad-signature");
    int claimed = new WrongRegionReporter(outsider, sandbox.regionKey("eu-west", 1)).claim("us-east", "app", 50,
        Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(15)).until(() -> counter("pharos_reports_rejected_total", "bad-signature")
        - badSignature >= claimed);

    double replayedBefore = counter("pharos_reports_rejected_total", "replayed");
    Replayer.Result replay = new Replayer(outsider).replay(null, 10, Duration.ofSeconds(10), Duration.ofMillis(500));
    assertThat(replay.replayed()).isEqualTo(10);
    await().atMost(Duration.ofSeconds(15)).until(() -> counter("pharos_reports_rejected_total", "replayed")
        - replayedBefore >= replay.replayed());

    SandboxRegion victim = sandbox.region("us-east");
    double beforeJump = counter("pharos_reports_rejected_total", "replayed");
    SequenceJumper.Result jump = new SequenceJumper(outsider, sandbox.regionKey(victim.name(), 1))
        .jump("agent-" + victim.name(), Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(15)).until(() -> counter("pharos_reports_rejected_total", "replayed")
        - beforeJump >= 5);
    sandbox.restart(victim, SandboxRegion.Component.AGENT);
    double afterRestart = counter("pharos_reports_accepted_total", null);
    await().atMost(Duration.ofSeconds(60)).until(() -> counter("pharos_reports_accepted_total", null) > afterRestart
        && sandbox.allHealthy());
    System.out.printf("[hostile] reports: %d for another region refused (bad signature), %d replays refused, a"
        + " forged jump of boot %016x ended with that boot (the restarted agent is heard)%n", claimed,
        replay.replayed(), jump.victimBoot());
  }

  private void apiAttacksAreRefused() {
    String api = lost.apiUrl();
    MultipartUploader.Result uploads = new MultipartUploader(api).run(5, 100_000, Duration.ofSeconds(30));
    assertThat(uploads.statuses()).as("multipart posts without a token").containsOnlyKeys(401);
    for (Path dir : List.of(Path.of("file-uploads"), sandbox.runDir().resolve("file-uploads"))) {
      assertThat(Files.exists(dir)).as(dir + " written").isFalse();
    }
    Map<String, Integer> overreach = new RoleOverreach(api, sandbox.viewerToken()).run();
    assertThat(overreach.values()).as("a viewer's token on operator and admin calls: " + overreach).containsOnly(403);
    // last, on another controller (limits are per controller, and the refusals above count against
    // this address): the guesses lock this test's address out of that controller's API for a minute
    TokenGuesser.Result guesses = new TokenGuesser(watcher.apiUrl()).run("sandbox-viewer", 200,
        Duration.ofSeconds(60));
    System.out.printf("[hostile] API: %d multipart posts all 401, %d overreaching calls all 403, %d token guesses:"
        + " %s (429 after %d)%n", uploads.posts(), overreach.size(), guesses.guesses(), guesses.statuses(),
        guesses.guessesBefore429());
    assertThat(guesses.accepted()).isZero();
    assertThat(guesses.statuses()).containsKey(429);
    assertThat(guesses.first429().orElseThrow()).as("the 429's rate-limit headers").isNotEmpty();
  }

  private static long at(List<PharosEvent> events, EventType type) {
    return events.stream().filter(e -> e.type() == type).mapToLong(PharosEvent::at).min().orElseThrow(() ->
        new AssertionError("no " + type + " event in " + events));
  }

  /** A report counter of the watching controller (every controller reads every report topic). */
  private double counter(String name, String reason) {
    String text = Http.get(watcher.apiUrl() + "/metrics").orElseThrow().body();
    double sum = 0;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.strip());
      if (m.matches() && m.group(1).equals(name) && (reason == null || m.group(2).contains("reason=\"" + reason
          + "\""))) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }
}
