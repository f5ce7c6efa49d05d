package io.pharos.controller.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.core.decision.Decision;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.journal.ControlState;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.journal.InMemoryJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One controller's acting parts over an in-memory journal, a recording mode store and a fake clock. */
public final class FailoverFixture implements AutoCloseable {
  static final Duration PROVIDER_CALL = Duration.ofSeconds(60);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public final PharosConfig config;
  public final FakeClock clock = new FakeClock();
  public final InMemoryJournal journal;
  final RecordingModeStore modes = new RecordingModeStore();
  public final ControllerMetrics metrics = new ControllerMetrics("c1", clock);
  final Path actionLogFile;
  final ActionLog actions;
  final ModeRenewer renewer;
  private final List<AutoCloseable> closing = new ArrayList<>();

  public FailoverFixture(Path dir) {
    this(dir, TestConfigs.threeRegions(), null);
  }

  /** With another config and, when not null, a real mode store instead of the recording one. */
  public FailoverFixture(Path dir, PharosConfig config, ModeStore store) {
    this.config = config;
    this.journal = new InMemoryJournal(ControlState.initial(config));
    this.actionLogFile = dir.resolve("actions.jsonl");
    this.actions = ActionLog.to("c1", actionLogFile, metrics.errors());
    this.renewer = new ModeRenewer(clock, journal, store != null ? store : modes, actions, metrics.errors(), 15_000);
    closing.add(renewer);
  }

  /** The embedded provider: the zone is the journal's, verified by name servers that answer it. */
  public IntentExecutor embeddedExecutor() {
    DnsProvider provider = new EmbeddedDnsProvider(config.dns(), new JournalZoneStore(journal, "c1", clock), clock);
    return executor(provider);
  }

  IntentExecutor executor(DnsProvider provider) {
    closing.add(provider);
    IntentExecutor executor = new IntentExecutor("c1", clock, journal, renewer, provider,
        new ZoneReconciler(provider, config.dns(), clock, e -> { }),
        weights -> new DnsVerifier.Result(List.of("c1"), List.of(), List.of()),
        new IntentExecutor.Timeouts(Duration.ofMinutes(3), PROVIDER_CALL, Duration.ofSeconds(10)), actions,
        metrics.errors());
    closing.add(executor);
    return executor;
  }

  Decision failover(String region) {
    return ManualDecisions.failover(config, journal.state(), region, "test", "drill", clock.millis());
  }

  /** The action log's lines as JSON. */
  List<JsonNode> actionLog() {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(actionLogFile)) {
        out.add(MAPPER.readTree(line));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    actions.close();
  }
}
