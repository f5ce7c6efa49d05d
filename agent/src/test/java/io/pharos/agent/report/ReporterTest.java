package io.pharos.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.config.TestConfigs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReporterTest {
  static final long WALL = 1_700_000_000_000L;
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(WALL), ZoneOffset.UTC);
  final AtomicLong uptime = new AtomicLong(12_000);
  final List<Report> reports = new ArrayList<>();
  final Deque<Runnable> turns = new ArrayDeque<>();
  final Reporter reporter = new Reporter("agent-1", TestConfigs.regionKey("a"), 0xb007L, clock, uptime::get, 64 * 1024,
      reports::add, turns::add);

  static Observation obs(String endpoint, boolean ok) {
    return ok ? Observation.up("b", endpoint, 10, 200, WALL)
        : Observation.down("b", endpoint, 10, 0, FailureKind.REFUSED, WALL);
  }

  @Test
  void a_heartbeat_goes_out_even_without_observations_counting_from_one_within_the_boot() {
    reporter.reportNow();
    uptime.addAndGet(1_000);
    reporter.reportNow();
    assertThat(reports).hasSize(2);
    Report first = reports.get(0);
    assertThat(first.counter()).as("never derived from the wall clock").isEqualTo(1);
    assertThat(first.bootId()).isEqualTo(0xb007L);
    assertThat(first.observations()).isEmpty();
    assertThat(first.agentId()).isEqualTo("agent-1");
    assertThat(first.region()).isEqualTo("a");
    assertThat(first.keyGeneration()).isEqualTo(1);
    assertThat(first.uptimeMillis()).isEqualTo(12_000);
    assertThat(first.heldMillis()).isZero();
    assertThat(first.sentAt()).isEqualTo(WALL);
    assertThat(reports.get(1).counter()).isEqualTo(2);
    assertThat(reports.get(1).uptimeMillis()).isEqualTo(13_000);
    // what the transport sends verifies with the region's key
    byte[] frame = new ReportSigner(TestConfigs.regionKey("a")).sign(first.sendingAt(12_500));
    assertThat(new ReportSigner(TestConfigs.regionKey("a")).verify(frame)).isTrue();
  }

  @Test
  void a_report_carries_every_observation_since_the_previous_one() {
    reporter.add(obs("app", true));
    reporter.add(obs("db", true));
    reporter.reportNow();
    reporter.add(obs("app", false));
    reporter.reportNow();
    assertThat(reports.get(0).observations()).extracting(Observation::endpointId).containsExactly("app", "db");
    assertThat(reports.get(1).observations()).extracting(Observation::ok).containsExactly(false);
  }

  @Test
  void edge_reports_of_one_event_loop_turn_are_coalesced_into_one() {
    reporter.add(obs("app", false));
    reporter.reportSoon();
    reporter.add(obs("db", false));
    reporter.reportSoon();
    reporter.reportSoon();
    assertThat(reports).as("sent on the next turn, not inline").isEmpty();
    assertThat(turns).hasSize(1);
    turns.poll().run();
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).observations()).hasSize(2);
    assertThat(reporter.edgeReports()).isEqualTo(1);
    reporter.reportSoon();
    assertThat(turns).as("a later turn may send another").hasSize(1);
  }

  @Test
  void an_edge_report_already_carried_by_a_heartbeat_is_not_sent_empty() {
    reporter.add(obs("app", false));
    reporter.reportSoon();
    reporter.reportNow();
    turns.poll().run();
    assertThat(reports).hasSize(1);
  }

  @Test
  void more_observations_than_a_frame_may_hold_are_split_with_consecutive_counters() {
    int frameBytes = 400;
    Reporter small = new Reporter("agent-1", TestConfigs.regionKey("a"), 1, clock, uptime::get, frameBytes,
        reports::add, turns::add);
    for (int i = 0; i < 40; i++) {
      small.add(obs("app", true));
    }
    small.reportNow();
    assertThat(reports.size()).isGreaterThan(1);
    ReportSigner signer = new ReportSigner(TestConfigs.regionKey("a"));
    int total = 0;
    for (int i = 0; i < reports.size(); i++) {
      Report r = reports.get(i);
      assertThat(r.counter()).isEqualTo(i + 1);
      assertThat(signer.sign(r).length).as("frame %d", i).isLessThanOrEqualTo(frameBytes);
      total += r.observations().size();
    }
    assertThat(total).isEqualTo(40);
    assertThat(ReportCodec.MAX_OBSERVATIONS).isGreaterThan(40);
  }
}
