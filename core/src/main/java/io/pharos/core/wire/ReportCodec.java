package io.pharos.core.wire;

import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical binary form of a {@link Report}: the bytes that are signed and sent.
 *
 * <pre>
 * magic "PHR" | version u8 | agentId str | region str | seq i64 | sentAt i64 | count u16 |
 *   count x (region str | endpoint str | ok u8 | latencyMicros i32 | status u16 | failure u8 |
 *            at-delta i32 (ms, relative to sentAt))
 * str = u8 length + UTF-8 bytes (at most 128 bytes)
 * </pre>
 *
 * The MAC (32 bytes) follows the body in a signed frame; see {@link ReportSigner}.
 */
public final class ReportCodec {
  static final byte[] MAGIC = {'P', 'H', 'R'};
  public static final int MAX_OBSERVATIONS = 4096;
  public static final int MAX_STRING = 128;
  /**
   * The report versions this build reads. A frame of any other version is refused and counted
   * under {@link RejectReason#UNSUPPORTED_VERSION}; widen the range when a new version is added,
   * so that agents can be upgraded before or after the controllers.
   */
  public static final int OLDEST_SUPPORTED_VERSION = 1;
  public static final int NEWEST_SUPPORTED_VERSION = Report.VERSION;

  private ReportCodec() {}

  public static byte[] encode(Report r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + r.observations().size() * 40);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(r.version());
      str(out, r.agentId());
      str(out, r.region());
      out.writeLong(r.seq());
      out.writeLong(r.sentAt());
      if (r.observations().size() > MAX_OBSERVATIONS) {
        throw new IllegalArgumentException("at most " + MAX_OBSERVATIONS + " observations per report");
      }
      out.writeShort(r.observations().size());
      for (Observation o : r.observations()) {
        str(out, o.targetRegion());
        str(out, o.endpointId());
        out.writeByte(o.ok() ? 1 : 0);
        out.writeInt(o.latencyMicros());
        out.writeShort(o.status());
        out.writeByte(o.failure().code());
        out.writeInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, o.at() - r.sentAt())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes exactly {@code length} bytes at {@code offset}; anything else is malformed. */
  public static Report decode(byte[] data, int offset, int length) throws MalformedReportException {
    ByteBuffer in = ByteBuffer.wrap(data, offset, length);
    try {
      for (byte b : MAGIC) {
        if (in.get() != b) {
          throw new MalformedReportException(RejectReason.MALFORMED, "not a Pharos report (bad magic)");
        }
      }
      int version = in.get() & 0xff;
      if (version < OLDEST_SUPPORTED_VERSION || version > NEWEST_SUPPORTED_VERSION) {
        throw new MalformedReportException(RejectReason.UNSUPPORTED_VERSION, "report version " + version
            + " is not supported (this controller reads " + OLDEST_SUPPORTED_VERSION + " to " + NEWEST_SUPPORTED_VERSION
            + "): run agents and controllers of versions that overlap");
      }
      String agentId = str(in);
      String region = str(in);
      long seq = in.getLong();
      long sentAt = in.getLong();
      int count = in.getShort() & 0xffff;
      if (count > MAX_OBSERVATIONS) {
        throw new MalformedReportException(RejectReason.MALFORMED, "too many observations: " + count);
      }
      List<Observation> obs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String target = str(in);
        String endpoint = str(in);
        int ok = in.get();
        if (ok != 0 && ok != 1) {
          throw new MalformedReportException(RejectReason.MALFORMED, "bad ok flag " + ok);
        }
        int latency = in.getInt();
        int status = in.getShort() & 0xffff;
        FailureKind failure;
        try {
          failure = FailureKind.ofCode(in.get());
        } catch (IllegalArgumentException e) {
          throw new MalformedReportException(RejectReason.MALFORMED, e.getMessage());
        }
        long at = sentAt + in.getInt();
        if (latency < 0 || (ok == 1) != (failure == FailureKind.NONE)) {
          throw new MalformedReportException(RejectReason.MALFORMED, "inconsistent observation " + i);
        }
        obs.add(new Observation(target, endpoint, ok == 1, latency, status, failure, at));
      }
      if (in.hasRemaining()) {
        throw new MalformedReportException(RejectReason.MALFORMED, in.remaining() + " trailing bytes");
      }
      return new Report(version, agentId, region, seq, sentAt, obs);
    } catch (BufferUnderflowException e) {
      throw new MalformedReportException(RejectReason.MALFORMED, "truncated report");
    }
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_STRING) {
      throw new IllegalArgumentException("'" + s + "' is longer than " + MAX_STRING + " bytes");
    }
    out.writeByte(b.length);
    out.write(b);
  }

  private static String str(ByteBuffer in) throws MalformedReportException {
    int len = in.get() & 0xff;
    if (len == 0 || len > MAX_STRING) {
      throw new MalformedReportException(RejectReason.MALFORMED, "bad string length " + len);
    }
    byte[] b = new byte[len];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
