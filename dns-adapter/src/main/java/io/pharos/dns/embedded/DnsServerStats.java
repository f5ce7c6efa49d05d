package io.pharos.dns.embedded;

import java.util.Map;
import java.util.TreeMap;

/**
 * A point-in-time copy of an {@link EmbeddedDnsServer}'s counters, for metrics and tests. Every
 * packet is counted once as a query and then either answered (by rcode) or dropped.
 *
 * @param queries packets received, UDP and TCP
 * @param tcpQueries of those, received over TCP
 * @param answersByRcode answers sent, by rcode name (NOERROR, NXDOMAIN, REFUSED, FORMERR, ...)
 * @param truncated UDP answers sent with TC set because they did not fit
 * @param droppedMalformed packets too broken to answer (no readable header) or not queries at all
 * @param sendFailures answers that could not be written to the socket
 * @param rateLimited UDP queries dropped by the response-rate limit
 * @param slipped UDP queries over the limit answered empty with TC set (the client retries over TCP)
 * @param tcpRefused TCP connections closed at once because the server held its maximum
 * @param anyMinimal ANY questions answered minimally (RFC 8482)
 */
public record DnsServerStats(
    long queries,
    long tcpQueries,
    Map<String, Long> answersByRcode,
    long truncated,
    long droppedMalformed,
    long sendFailures,
    long rateLimited,
    long slipped,
    long tcpRefused,
    long anyMinimal) {
  public DnsServerStats {
    answersByRcode = java.util.Collections.unmodifiableMap(new TreeMap<>(answersByRcode));
  }

  /** Answers sent with this rcode name; 0 if none. */
  public long answers(String rcode) {
    return answersByRcode.getOrDefault(rcode, 0L);
  }
}
