package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCodecTest {
  static final long T0 = 1_800_000_000_000L;

  static Report report(long counter, long uptime, long held, Observation... obs) {
    return new Report(Report.VERSION, "a", 3, "agent-a", 0x1234_5678_9abc_def0L, counter, uptime, held, T0,
        List.of(obs));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    Report r = report(7, 60_000, 1_500, Observation.up("b", "app", 1234, 200, T0 - 5),
        Observation.down("b", "db", 500_000, 0, FailureKind.TIMEOUT, T0 - 1));
    byte[] body = ReportCodec.encode(r);
    assertThat(ReportCodec.decode(body, 0, body.length)).isEqualTo(r);
    assertThat(body).hasSize(ReportCodec.headerBytes("a", "agent-a") + ReportCodec.observationBytes("b", "app")
        + ReportCodec.observationBytes("b", "db"));
    assertThat(ReportCodec.header(body, 0, body.length)).isEqualTo(new ReportCodec.Header(2, "a", 3, "agent-a"));
  }

  @Test
  void sendingLaterAddsTheWaitToTheHoldTime() {
    Report built = report(1, 10_000, 0);
    Report sent = built.sendingAt(14_000);
    assertThat(sent.uptimeMillis()).isEqualTo(14_000);
    assertThat(sent.heldMillis()).isEqualTo(4_000);
    assertThat(sent.sendingAt(15_000).heldMillis()).as("a retry adds its wait too").isEqualTo(5_000);
    assertThat(sent.sentAt()).as("the wall clock of building stays").isEqualTo(built.sentAt());
  }

  @Test
  void rejectsTruncatedTrailingForeignAndImpossibleBytes() {
    byte[] body = ReportCodec.encode(report(1, 1_000, 0, Observation.up("b", "app", 1, 200, T0)));
    assertThatThrownBy(() -> ReportCodec.decode(body, 0, body.length - 3)).hasMessageContaining("truncated");
    byte[] longer = Arrays.copyOf(body, body.length + 2);
    assertThatThrownBy(() -> ReportCodec.decode(longer, 0, longer.length)).hasMessageContaining("trailing");
    byte[] json = "{\"agent\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ReportCodec.decode(json, 0, json.length)).hasMessageContaining("bad magic");
    byte[] heldTooLong = ReportCodec.encode(report(1, 1_000, 2_000));
    assertThatThrownBy(() -> ReportCodec.decode(heldTooLong, 0, heldTooLong.length))
        .hasMessageContaining("impossible numbers");
    byte[] counterZero = ReportCodec.encode(report(0, 1_000, 0));
    assertThatThrownBy(() -> ReportCodec.decode(counterZero, 0, counterZero.length))
        .hasMessageContaining("impossible numbers");
  }

  @Test
  void refusesVersionOneWithTheReasonAndAnyUnknownVersion() {
    byte[] body = ReportCodec.encode(report(1, 1_000, 0));
    byte[] v1 = body.clone();
    v1[3] = 1;
    assertThatThrownBy(() -> ReportCodec.header(v1, 0, v1.length))
        .isInstanceOfSatisfying(MalformedReportException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION))
        .hasMessageContaining("version 1 (one shared key) was retired")
        .hasMessageContaining("pharos keys derive");
    byte[] v9 = body.clone();
    v9[3] = 9;
    assertThatThrownBy(() -> ReportCodec.decode(v9, 0, v9.length))
        .isInstanceOfSatisfying(MalformedReportException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION))
        .hasMessageContaining("reads 2 to 2");
  }
}
