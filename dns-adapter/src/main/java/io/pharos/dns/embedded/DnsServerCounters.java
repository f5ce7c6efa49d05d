package io.pharos.dns.embedded;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/** Counters the server's event loops bump without contention; read as {@link DnsServerStats}. */
final class DnsServerCounters {
  private final LongAdder queries = new LongAdder();
  private final LongAdder tcpQueries = new LongAdder();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder droppedMalformed = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();
  private final LongAdder notReady = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder slipped = new LongAdder();
  private final LongAdder tcpRefused = new LongAdder();
  private final LongAdder anyMinimal = new LongAdder();

  void query(Transport transport) {
    queries.increment();
    if (transport == Transport.TCP) {
      tcpQueries.increment();
    }
  }

  void answered(int rcode, boolean wasTruncated) {
    answers.computeIfAbsent(Rcode.string(rcode), k -> new LongAdder()).increment();
    if (wasTruncated) {
      truncated.increment();
    }
  }

  /** A query answered SERVFAIL because the zone was not known to be current (also counted by rcode). */
  void servfailNotReady() {
    notReady.increment();
  }

  long notReady() {
    return notReady.sum();
  }

  /** A UDP query dropped by the rate limit (counted as a query, not answered). */
  void rateLimited() {
    rateLimited.increment();
  }

  /** A UDP query over the rate limit answered empty and truncated (also counted by rcode). */
  void slipped() {
    slipped.increment();
  }

  /** A TCP connection closed at once: the server held its maximum. */
  void tcpRefused() {
    tcpRefused.increment();
  }

  /** An ANY question answered with the RFC 8482 HINFO instead of every record set. */
  void anyMinimal() {
    anyMinimal.increment();
  }

  void droppedMalformed() {
    droppedMalformed.increment();
  }

  void sendFailed() {
    sendFailures.increment();
  }

  DnsServerStats snapshot() {
    Map<String, Long> byRcode = new TreeMap<>();
    answers.forEach((rcode, n) -> byRcode.put(rcode, n.sum()));
    return new DnsServerStats(queries.sum(), tcpQueries.sum(), byRcode, truncated.sum(), droppedMalformed.sum(),
        sendFailures.sum(), rateLimited.sum(), slipped.sum(), tcpRefused.sum(), anyMinimal.sum());
  }
}
