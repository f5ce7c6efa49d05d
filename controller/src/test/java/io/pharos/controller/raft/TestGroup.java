package io.pharos.controller.raft;

import static org.awaitility.Awaitility.await;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import io.pharos.testkit.config.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.ratis.conf.RaftProperties;

/** Real Raft journals a test starts (under one data directory, all closed after it) and the leader they elect. */
final class TestGroup implements AutoCloseable {
  final List<RaftJournal> started = new ArrayList<>();
  final ControlState initial = ControlState.initial(TestConfigs.threeRegions());
  private final Path dataDir;

  TestGroup(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** A group's config with the test timings (300/600 ms), plaintext on loopback or with {@code tls}. */
  static ControllersConfig config(String group, List<ControllerPeer> peers, ControllersConfig.Tls tls) {
    return new ControllersConfig(group, peers, "data", Duration.ofMillis(300), Duration.ofMillis(600), tls);
  }

  RaftJournal start(ControllersConfig cfg, ControllerPeer p) {
    return start(cfg, p, JournalCodec.FORMAT_VERSION, props -> { }, new ControllerMetrics(p.id()).errors());
  }

  /** @param reads the newest journal format the controller reads (an older build: 1) */
  RaftJournal start(ControllersConfig cfg, ControllerPeer p, int reads) {
    return start(cfg, p, reads, props -> { }, new ControllerMetrics(p.id()).errors());
  }

  RaftJournal start(ControllersConfig cfg, ControllerPeer p, int reads, Consumer<RaftProperties> tuning,
      ErrorCounter errors) {
    RaftJournal j = new RaftJournal(cfg, p, dataDir, initial, reads, errors, tuning);
    started.add(j);
    j.start();
    return j;
  }

  /** The acting leader, once there is one (at most 30 s). */
  RaftJournal leader() {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> started.stream().filter(RaftJournal::isActingLeader).findFirst().orElse(null), l -> l != null);
  }

  /** An alert entry proposed in the leader's term. */
  static AlertRaised alert(RaftJournal leader, String message) {
    return new AlertRaised("Test", "INFO", null, message, false, leader.term(), System.currentTimeMillis(), "test");
  }

  @Override
  public void close() {
    started.forEach(RaftJournal::close);
  }
}
