package io.pharos.testkit.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The few DER encodings an X.509 certificate needs (ITU-T X.690), for {@link TestPki}. */
final class Der {
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

  private Der() {}

  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    byte[] content = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(0x30, parts);
  }

  static byte[] set(byte[]... parts) {
    return tlv(0x31, parts);
  }

  static byte[] integer(BigInteger v) {
    return tlv(0x02, v.toByteArray());
  }

  static byte[] bool(boolean v) {
    return tlv(0x01, new byte[] {(byte) (v ? 0xff : 0)});
  }

  static byte[] octets(byte[] v) {
    return tlv(0x04, v);
  }

  /** A BIT STRING of whole bytes, or with {@code unusedBits} trailing bits of the last byte unused. */
  static byte[] bits(int unusedBits, byte[] v) {
    byte[] b = new byte[v.length + 1];
    b[0] = (byte) unusedBits;
    System.arraycopy(v, 0, b, 1, v.length);
    return tlv(0x03, b);
  }

  static byte[] utf8(String s) {
    return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] utcTime(ZonedDateTime t) {
    return tlv(0x17, UTC_TIME.format(t.withZoneSameInstant(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII));
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long v = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        int septet = (int) ((v >>> (7 * g)) & 0x7f);
        out.write(g == 0 ? septet : septet | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  /** A context-specific tag: {@code [n]} constructed (EXPLICIT) or primitive (IMPLICIT of a primitive). */
  static byte[] tagged(int n, boolean constructed, byte[] content) {
    return tlv((constructed ? 0xa0 : 0x80) | n, content);
  }
}
