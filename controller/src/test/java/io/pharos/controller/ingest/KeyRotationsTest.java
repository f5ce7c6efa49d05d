package io.pharos.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import io.pharos.core.model.Report;
import io.pharos.core.wire.RejectReason;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A region's key rotates through the journal; the grace runs from the rotation, also after a restart. */
class KeyRotationsTest {
  final PharosConfig config = TestConfigs.threeRegions();
  final FakeClock clock = new FakeClock();

  byte[] frame(String region, int generation, String agent, long counter) {
    return new ReportSigner(TestConfigs.MASTER.regionKey(region, generation)).sign(new Report(Report.VERSION, region,
        generation, agent, 9, counter, counter * 1_000, 0, clock.millis(), List.of()));
  }

  @Test
  void aRotationIsJournaledAndItsGraceSurvivesARestart() throws Exception {
    InMemoryJournal journal = new InMemoryJournal(ControlState.initial(config)).becomeLeader();
    KeyRotations rotations = new KeyRotations(config, "c1", clock, journal);
    long rotatedAt = clock.millis();
    KeyRotations.Planned plan = rotations.plan("b", null);
    assertThat(plan.generation()).isEqualTo(2);
    assertThat(plan.previousValidUntil()).isEqualTo(rotatedAt + Duration.ofHours(24).toMillis());
    Proposal p = rotations.rotate(plan, "admin", "yearly rotation").get();
    assertThat(p.accepted()).as(p.detail()).isTrue();
    assertThat(journal.state().regionKey("b").generation()).isEqualTo(2);
    assertThat(journal.state().regionKey("a").generation()).as("one region rotates alone").isEqualTo(1);

    // a controller that restarts 23 h later reads the grace from its journal, not from its own start
    ControlState restored = JournalCodec.decodeState(JournalCodec.encodeState(journal.state()));
    clock.advance(Duration.ofHours(23));
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    ReportIngest restarted = new ReportIngest(config, clock, metrics, restored::regionKey);
    restarted.onFrame(frame("b", 1, "agent-old", 1));
    restarted.onFrame(frame("b", 2, "agent-new", 1));
    assertThat(restarted.poll().previousKey()).isTrue();
    assertThat(restarted.poll().previousKey()).isFalse();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    restarted.onFrame(frame("b", 1, "agent-old", 2));
    assertThat(metrics.rejectedCount(RejectReason.EXPIRED_KEY)).isEqualTo(1);
    assertThat(restarted.queued()).isZero();
  }

  @Test
  void aLeakedKeyEndsAtOnceWithAGraceOfZero() throws Exception {
    InMemoryJournal journal = new InMemoryJournal(ControlState.initial(config)).becomeLeader();
    KeyRotations rotations = new KeyRotations(config, "c1", clock, journal);
    assertThat(rotations.rotate(rotations.plan("c", Duration.ZERO), "admin", "key leaked").get().accepted()).isTrue();
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    clock.advance(Duration.ofMillis(1));
    ReportIngest ingest = new ReportIngest(config, clock, metrics, journal.state()::regionKey);
    ingest.onFrame(frame("c", 1, "agent-c", 1));
    assertThat(metrics.rejectedCount(RejectReason.EXPIRED_KEY)).isEqualTo(1);
  }

  @Test
  void refusesUnknownRegionsWildGracesFollowersAndControllersThatCannotReadIt() {
    InMemoryJournal journal = new InMemoryJournal(ControlState.initial(config)).becomeLeader();
    KeyRotations rotations = new KeyRotations(config, "c1", clock, journal);
    assertThatThrownBy(() -> rotations.plan("mars", null)).hasMessageContaining("region 'mars' is not configured");
    assertThatThrownBy(() -> rotations.plan("a", Duration.ofDays(90))).hasMessageContaining("between 0s and 30d");
    InMemoryJournal follower = new InMemoryJournal(ControlState.initial(config));
    assertThatThrownBy(() -> new KeyRotations(config, "c1", clock, follower).plan("a", null))
        .isInstanceOf(NotLeaderException.class);
    // a controller of the previous release would stop at the entry: it is not proposed at all
    InMemoryJournal mixed = new InMemoryJournal(ControlState.initial(config)).withMember("c2", 1).becomeLeader();
    KeyRotations r = new KeyRotations(config, "c1", clock, mixed);
    assertThatThrownBy(() -> r.rotate(r.plan("a", null), "admin", "x").get())
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupFormat.VersionNotReadableException.class);
    assertThat(mixed.state().regionKey("a").generation()).isEqualTo(1);
  }
}
