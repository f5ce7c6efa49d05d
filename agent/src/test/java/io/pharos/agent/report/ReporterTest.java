package io.pharos.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.MalformedReportException;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReporterTest {
  static final byte[] KEY = TestConfigs.TEST_KEY.getBytes(StandardCharsets.UTF_8);
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  final ReportSigner signer = new ReportSigner(KEY, null);
  final List<byte[]> frames = new ArrayList<>();
  final Deque<Runnable> turns = new ArrayDeque<>();
  final Reporter reporter = new Reporter("agent-1", "a", signer, clock, frames::add, turns::add);

  Report decode(byte[] frame) {
    assertThat(signer.verify(frame)).isEqualTo(ReportSigner.KeyUsed.CURRENT);
    try {
      return ReportCodec.decode(frame, 0, frame.length - ReportSigner.MAC_LENGTH);
    } catch (MalformedReportException e) {
      throw new AssertionError(e);
    }
  }

  static Observation obs(String endpoint, boolean ok) {
    return ok ? Observation.up("b", endpoint, 10, 200, 1_700_000_000_000L)
        : Observation.down("b", endpoint, 10, 0, io.pharos.core.model.FailureKind.REFUSED, 1_700_000_000_000L);
  }

  @Test
  void a_heartbeat_goes_out_even_without_observations_with_seq_from_the_clock() {
    reporter.reportNow();
    reporter.reportNow();
    assertThat(frames).hasSize(2);
    Report first = decode(frames.get(0));
    assertThat(first.seq()).isEqualTo(1_700_000_000_000L * 1000);
    assertThat(first.observations()).isEmpty();
    assertThat(first.agentId()).isEqualTo("agent-1");
    assertThat(first.region()).isEqualTo("a");
    assertThat(decode(frames.get(1)).seq()).isEqualTo(first.seq() + 1);
  }

  @Test
  void a_report_carries_every_observation_since_the_previous_one() {
    reporter.add(obs("app", true));
    reporter.add(obs("db", true));
    reporter.reportNow();
    reporter.add(obs("app", false));
    reporter.reportNow();
    assertThat(decode(frames.get(0)).observations()).extracting(Observation::endpointId).containsExactly("app", "db");
    assertThat(decode(frames.get(1)).observations()).extracting(Observation::ok).containsExactly(false);
  }

  @Test
  void edge_reports_of_one_event_loop_turn_are_coalesced_into_one() {
    reporter.add(obs("app", false));
    reporter.reportSoon();
    reporter.add(obs("db", false));
    reporter.reportSoon();
    reporter.reportSoon();
    assertThat(frames).as("sent on the next turn, not inline").isEmpty();
    assertThat(turns).hasSize(1);
    turns.poll().run();
    assertThat(frames).hasSize(1);
    assertThat(decode(frames.get(0)).observations()).hasSize(2);
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
    assertThat(frames).hasSize(1);
  }

  @Test
  void more_observations_than_one_frame_holds_are_split_with_consecutive_seqs() {
    for (int i = 0; i < ReportCodec.MAX_OBSERVATIONS + 10; i++) {
      reporter.add(obs("app", true));
    }
    reporter.reportNow();
    assertThat(frames).hasSize(2);
    Report a = decode(frames.get(0));
    Report b = decode(frames.get(1));
    assertThat(a.observations()).hasSize(ReportCodec.MAX_OBSERVATIONS);
    assertThat(b.observations()).hasSize(10);
    assertThat(b.seq()).isEqualTo(a.seq() + 1);
  }
}
