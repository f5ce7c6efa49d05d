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
 * The canonical binary form of a {@link Report}: the bytes that are signed and sent. Version 2
 * (docs/adr/0010):
 *
 * <pre>
 * magic "PHR" | version u8 | region str | keyGeneration i32 | agentId str | bootId i64 | counter i64 |
 *   uptimeMillis i64 | heldMillis i64 | sentAt i64 | count u16 |
 *   count x (region str | endpoint str | ok u8 | latencyMicros i32 | status u16 | failure u8 |
 *            at-delta i32 (ms, relative to sentAt))
 * str = u8 length + UTF-8 bytes (1 to 128 bytes)
 * </pre>
 *
 * Region and key generation come first and in clear, so a controller knows which key to check the
 * MAC with before it reads the rest ({@link #header}). The MAC (32 bytes) follows the body in a
 * signed frame; see {@link ReportSigner}. Version 1 (one shared key, wall-clock sequence numbers)
 * is refused.
 */
public final class ReportCodec {
  static final byte[] MAGIC = {'P', 'H', 'R'};
  private static final DecodedStrings STRINGS = new DecodedStrings();
  public static final int MAX_OBSERVATIONS = 4096;
  public static final int MAX_STRING = 128;
  /** The report versions this build reads; version 1 was retired with the shared key. */
  public static final int OLDEST_SUPPORTED_VERSION = 2;
  public static final int NEWEST_SUPPORTED_VERSION = Report.VERSION;
  /** Fixed bytes of a body besides its two strings: magic, version, the numbers and the count. */
  static final int FIXED_HEADER_BYTES = 3 + 1 + 1 + 4 + 1 + 8 * 5 + 2;
  /** Fixed bytes of one observation besides its two strings. */
  static final int FIXED_OBSERVATION_BYTES = 1 + 1 + 1 + 4 + 2 + 1 + 4;

  private ReportCodec() {}

  /** What a controller reads before checking the MAC: which region's key, which generation. */
  public record Header(int version, String region, int keyGeneration, String agentId) {}

  public static byte[] encode(Report r) {
    if (r.observations().size() > MAX_OBSERVATIONS) {
      throw new IllegalArgumentException("at most " + MAX_OBSERVATIONS + " observations per report");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(headerBytes(r.region(), r.agentId())
        + r.observations().size() * 40);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(r.version());
      str(out, r.region());
      out.writeInt(r.keyGeneration());
      str(out, r.agentId());
      out.writeLong(r.bootId());
      out.writeLong(r.counter());
      out.writeLong(r.uptimeMillis());
      out.writeLong(r.heldMillis());
      out.writeLong(r.sentAt());
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

  /** Encoded size of a report's fixed part for this region and agent id. */
  public static int headerBytes(String region, String agentId) {
    return FIXED_HEADER_BYTES + utf8(region) + utf8(agentId);
  }

  /** Encoded size of one observation. */
  public static int observationBytes(String targetRegion, String endpointId) {
    return FIXED_OBSERVATION_BYTES + utf8(targetRegion) + utf8(endpointId);
  }

  /**
   * Reads only the clear header of a body at {@code offset}: cheap, done before the MAC is
   * checked. Nothing it returns is authentic yet.
   */
  public static Header header(byte[] data, int offset, int length) throws MalformedReportException {
    try {
      return header(ByteBuffer.wrap(data, offset, length));
    } catch (BufferUnderflowException e) {
      throw new MalformedReportException(RejectReason.MALFORMED, "truncated report");
    }
  }

  /** Decodes exactly {@code length} bytes at {@code offset}; anything else is malformed. */
  public static Report decode(byte[] data, int offset, int length) throws MalformedReportException {
    ByteBuffer in = ByteBuffer.wrap(data, offset, length);
    try {
      Header h = header(in);
      int generation = h.keyGeneration();
      long bootId = in.getLong();
      long counter = in.getLong();
      long uptime = in.getLong();
      long held = in.getLong();
      long sentAt = in.getLong();
      if (generation < 1 || counter < 1 || uptime < 0 || held < 0 || held > uptime) {
        throw new MalformedReportException(RejectReason.MALFORMED, "impossible numbers (generation " + generation
            + ", counter " + counter + ", uptime " + uptime + " ms, held " + held + " ms)");
      }
      int count = in.getShort() & 0xffff;
      if (count > MAX_OBSERVATIONS) {
        throw new MalformedReportException(RejectReason.MALFORMED, "too many observations: " + count);
      }
      List<Observation> obs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        obs.add(observation(in, sentAt, i));
      }
      if (in.hasRemaining()) {
        throw new MalformedReportException(RejectReason.MALFORMED, in.remaining() + " trailing bytes");
      }
      return new Report(h.version(), h.region(), generation, h.agentId(), bootId, counter, uptime, held, sentAt, obs);
    } catch (BufferUnderflowException e) {
      throw new MalformedReportException(RejectReason.MALFORMED, "truncated report");
    }
  }

  private static Header header(ByteBuffer in) throws MalformedReportException {
    int version = version(in);
    String region = str(in);
    int generation = in.getInt();
    return new Header(version, region, generation, str(in));
  }

  private static int version(ByteBuffer in) throws MalformedReportException {
    for (byte b : MAGIC) {
      if (in.get() != b) {
        throw new MalformedReportException(RejectReason.MALFORMED, "not a Pharos report (bad magic)");
      }
    }
    int version = in.get() & 0xff;
    if (version < OLDEST_SUPPORTED_VERSION || version > NEWEST_SUPPORTED_VERSION) {
      throw new MalformedReportException(RejectReason.UNSUPPORTED_VERSION, "report version " + version
          + " is not supported (this controller reads " + OLDEST_SUPPORTED_VERSION + " to " + NEWEST_SUPPORTED_VERSION
          + ")" + (version == 1 ? ": version 1 (one shared key) was retired; upgrade the agent and give it its"
              + " region's key (`pharos keys derive --region R`)" : ": run agents and controllers of versions that"
              + " overlap"));
    }
    return version;
  }

  private static Observation observation(ByteBuffer in, long sentAt, int i) throws MalformedReportException {
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
    return new Observation(target, endpoint, ok == 1, latency, status, failure, at);
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0 || b.length > MAX_STRING) {
      throw new IllegalArgumentException("'" + s + "' must be 1 to " + MAX_STRING + " bytes");
    }
    out.writeByte(b.length);
    out.write(b);
  }

  private static String str(ByteBuffer in) throws MalformedReportException {
    int len = in.get() & 0xff;
    if (len == 0 || len > MAX_STRING) {
      throw new MalformedReportException(RejectReason.MALFORMED, "bad string length " + len);
    }
    if (in.remaining() < len) {
      throw new MalformedReportException(RejectReason.MALFORMED, "truncated report");
    }
    if (in.hasArray()) { // the same names in every report: decoded once (DecodedStrings)
      int at = in.position();
      in.position(at + len);
      return STRINGS.decode(in.array(), in.arrayOffset() + at, len);
    }
    byte[] b = new byte[len];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
