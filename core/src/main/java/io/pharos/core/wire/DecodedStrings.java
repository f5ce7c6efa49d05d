package io.pharos.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of report frames, kept by their bytes: every report of an agent names the same
 * region, agent and endpoints, and decoding each anew was a sixth of a controller's allocation at
 * 50,000 reports/s (JFR, docs/benchmarks.md "Controller ingest"). A fixed table of slots chosen by
 * the bytes' hash; a slot holds the last string decoded there, and a lookup compares all its bytes,
 * so a collision (or a flood of made-up names) only misses. Safe from any thread: an entry is
 * immutable and a slot is replaced whole.
 */
final class DecodedStrings {
  private static final int SLOTS = 4096;

  private record Entry(byte[] utf8, String value) {}

  private final Entry[] slots = new Entry[SLOTS];

  /** The UTF-8 string of {@code a[from, from + len)}, as {@code new String} would decode it. */
  String decode(byte[] a, int from, int len) {
    int h = 1;
    for (int i = from; i < from + len; i++) {
      h = 31 * h + a[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    Entry e = slots[slot];
    if (e != null && Arrays.equals(e.utf8, 0, e.utf8.length, a, from, from + len)) {
      return e.value;
    }
    byte[] copy = Arrays.copyOfRange(a, from, from + len);
    String s = new String(copy, StandardCharsets.UTF_8);
    slots[slot] = new Entry(copy, s);
    return s;
  }
}
