package io.pharos.dns.embedded;

import io.pharos.core.journal.ZoneState;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered answers of the zone state being served, by query. An answer depends only on the query
 * (its bytes after the ID: flags, question as written — case and all — and EDNS) and on the zone
 * state, so a repeated query gets the same bytes under its own ID instead of being parsed, answered
 * and rendered again (measured: that was a quarter of the event loop's time under dnsperf). A new
 * zone state starts an empty cache; at most {@link #MAX_ENTRIES} answers are kept (then it starts
 * over; with several event loops, one more per loop for a moment), only for queries up to {@link
 * #MAX_QUERY} bytes and answers that fit a UDP datagram (the responder's choice), so a flood of
 * distinct queries costs bounded memory. Safe for several event loops at once.
 */
final class AnswerCache {
  static final int MAX_ENTRIES = 4_096;
  static final int MAX_QUERY = 512;

  /** An answer as rendered, with what the counters need to count it again. */
  record Cached(byte[] wire, int rcode, boolean truncated, boolean anyMinimal) {
    /** The answer under {@code id}, the ID of the query it answers. */
    byte[] forQuery(int id) {
      byte[] copy = wire.clone();
      copy[0] = (byte) (id >>> 8);
      copy[1] = (byte) id;
      return copy;
    }
  }

  private record Generation(ZoneState zone, ConcurrentHashMap<String, Cached> answers) {}

  private volatile Generation current = new Generation(null, new ConcurrentHashMap<>());

  /** The key of a query (its bytes after the ID, per transport), or null when it is not kept. */
  static String key(byte[] query, Transport transport) {
    if (query.length > MAX_QUERY || query.length < 2) {
      return null;
    }
    // ISO-8859-1 maps each byte to one char: equal keys are equal bytes
    return transport.ordinal() + new String(query, 2, query.length - 2, StandardCharsets.ISO_8859_1);
  }

  Cached get(ZoneState zone, String key) {
    Generation g = current;
    return g.zone() == zone ? g.answers().get(key) : null;
  }

  /** Answers kept now (for tests: the bound holds under a flood of distinct queries). */
  int size() {
    return current.answers().size();
  }

  void put(ZoneState zone, String key, Cached answer) {
    Generation g = current;
    if (g.zone() != zone || g.answers().size() >= MAX_ENTRIES) {
      g = new Generation(zone, new ConcurrentHashMap<>());
      current = g;
    }
    g.answers().put(key, answer);
  }
}
