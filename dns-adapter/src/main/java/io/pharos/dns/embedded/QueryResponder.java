package io.pharos.dns.embedded;

import io.pharos.core.journal.ZoneState;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query packet into one answer packet (or nothing), independent of sockets so the
 * protocol rules can be read and tested in one place: which rcode for which question, EDNS, and
 * truncation for UDP.
 *
 * <p>Nothing here amplifies: an {@code ANY} question gets one synthesized HINFO record (RFC 8482)
 * instead of every record set, and a UDP answer never exceeds the size this server advertises
 * ({@value #ADVERTISED_UDP_PAYLOAD} bytes), whatever the client's EDNS buffer says; a bigger one is
 * truncated (TC) for the client to ask again over TCP.
 */
final class QueryResponder {
  private static final Logger LOG = LoggerFactory.getLogger(QueryResponder.class);
  /** The classic limit when the query has no EDNS OPT record (RFC 1035). */
  static final int PLAIN_UDP_PAYLOAD = 512;
  /** What we accept and advertise; the DNS Flag Day 2020 size that avoids IP fragmentation. */
  static final int ADVERTISED_UDP_PAYLOAD = 1232;
  /** Upper bound on what we send over UDP even if a client asks for more: what we advertise. */
  static final int MAX_UDP_PAYLOAD = ADVERTISED_UDP_PAYLOAD;
  /** The TTL of the RFC 8482 answer to ANY (the RFC suggests about an hour). */
  static final long ANY_TTL = 3_600;
  private static final int TCP_MAX = 65_535;

  private final ZoneLayout layout;
  private final Supplier<ZoneState> zone;
  private final DnsServerCounters counters;
  private final AnswerCache cache = new AnswerCache();

  QueryResponder(ZoneLayout layout, Supplier<ZoneState> zone, DnsServerCounters counters) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  /** Rendered answers kept for repeated queries now (at most {@link AnswerCache#MAX_ENTRIES}). */
  int answersKept() {
    return cache.size();
  }

  /** The answer to send, or {@code null} when the packet must be dropped (already counted). */
  byte[] respond(byte[] packet, Transport transport) {
    counters.query(transport);
    if (packet.length < Header.LENGTH) {
      counters.droppedMalformed();
      return null;
    }
    Header header;
    try {
      header = new Header(Arrays.copyOf(packet, Header.LENGTH));
    } catch (IOException e) {
      counters.droppedMalformed();
      return null;
    }
    if (header.getFlag(Flags.QR)) {
      // never answer an answer: that is how two servers end up in a loop
      counters.droppedMalformed();
      return null;
    }
    // read once: the answer and the cache entry it may become are of the same zone state
    ZoneState current = zone.get();
    String key = current == null ? null : AnswerCache.key(packet, transport);
    AnswerCache.Cached cached = key == null ? null : cache.get(current, key);
    if (cached != null) {
      if (cached.anyMinimal()) {
        counters.anyMinimal();
      }
      counters.answered(cached.rcode(), cached.truncated());
      return cached.forQuery(header.getID());
    }
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      return send(reply(header, null, Rcode.FORMERR), null, transport).wire();
    }
    OPTRecord opt = query.getOPT();
    Reply reply;
    try {
      reply = answer(query, header, opt, current);
    } catch (RuntimeException e) {
      LOG.error("failed to answer {} from the embedded zone; answering SERVFAIL", query.getQuestion(), e);
      reply = reply(header, query.getQuestion(), Rcode.SERVFAIL);
      key = null; // a failure is not kept
    }
    Rendered r = send(reply, opt, transport);
    // only answers that fit a UDP datagram are kept: the bound on the kept answers' memory holds for TCP too
    if (key != null && r.wire().length <= MAX_UDP_PAYLOAD) {
      cache.put(current, key, new AnswerCache.Cached(r.wire(), reply.rcode(), r.truncated(), reply.anyMinimal()));
    }
    return r.wire();
  }

  private Reply answer(Message query, Header header, OPTRecord opt, ZoneState current) {
    Record question = query.getQuestion();
    if (header.getOpcode() != Opcode.QUERY) {
      return reply(header, question, Rcode.NOTIMP);
    }
    if (header.getCount(Section.QUESTION) != 1 || question == null) {
      return reply(header, question, Rcode.FORMERR);
    }
    if (opt != null && opt.getVersion() > 0) {
      return reply(header, question, Rcode.BADVERS);
    }
    int qclass = question.getDClass();
    int qtype = question.getType();
    boolean transfer = qtype == Type.AXFR || qtype == Type.IXFR;
    if ((qclass != DClass.IN && qclass != DClass.ANY) || transfer || !layout.inZone(question.getName())) {
      return reply(header, question, Rcode.REFUSED);
    }
    if (current == null) {
      // the zone is not known to be current (e.g. the controller is still replaying its journal):
      // SERVFAIL sends resolvers to another name server instead of serving stale answers
      counters.servfailNotReady();
      return reply(header, question, Rcode.SERVFAIL);
    }
    ZoneAnswer zoneAnswer = layout.answer(question.getName(), qtype, current);
    Reply reply = reply(header, question, zoneAnswer.rcode());
    Message response = reply.message();
    response.getHeader().setFlag(Flags.AA);
    if (qtype == Type.ANY && !zoneAnswer.answer().isEmpty()) {
      // RFC 8482: not every record set (the classic amplification query), one small synthesized record
      counters.anyMinimal();
      response.addRecord(new HINFORecord(question.getName(), DClass.IN, ANY_TTL, "RFC8482", ""), Section.ANSWER);
      return new Reply(response, reply.rcode(), true);
    }
    add(response, zoneAnswer.answer(), Section.ANSWER);
    add(response, zoneAnswer.authority(), Section.AUTHORITY);
    add(response, zoneAnswer.additional(), Section.ADDITIONAL);
    return reply;
  }

  private static Reply reply(Header query, Record question, int rcode) {
    Message response = new Message(query.getID());
    Header h = response.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(query.getOpcode());
    if (query.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    // the low 4 bits live in the header; extended rcodes (BADVERS) put the rest in the OPT record
    h.setRcode(rcode & 0xF);
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    return new Reply(response, rcode, false);
  }

  /**
   * The answer for a UDP query over the rate limit: the header and question only, with TC set (a
   * real client asks again over TCP), never bigger than the query; {@code null} to drop a packet
   * that is not a readable query. Counted as a query, an answer and a slip.
   */
  byte[] truncatedOnly(byte[] packet) {
    counters.query(Transport.UDP);
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      counters.droppedMalformed();
      return null;
    }
    Header header = query.getHeader();
    if (header.getFlag(Flags.QR) || header.getCount(Section.QUESTION) != 1) {
      counters.droppedMalformed();
      return null;
    }
    Reply reply = reply(header, query.getQuestion(), Rcode.NOERROR);
    reply.message().getHeader().setFlag(Flags.TC);
    counters.slipped();
    byte[] wire = reply.message().toWire(PLAIN_UDP_PAYLOAD);
    counters.answered(Rcode.NOERROR, false); // truncated on purpose: counted as a slip, not as "did not fit"
    return wire;
  }

  /** Adds the OPT record when the query had one, renders within the size limit and counts it. */
  private Rendered send(Reply reply, OPTRecord queryOpt, Transport transport) {
    Message response = reply.message();
    int limit = TCP_MAX;
    if (transport == Transport.UDP) {
      limit = queryOpt == null ? PLAIN_UDP_PAYLOAD
          : Math.min(MAX_UDP_PAYLOAD, Math.max(PLAIN_UDP_PAYLOAD, queryOpt.getPayloadSize()));
    }
    if (queryOpt != null) {
      int dnssecOk = queryOpt.getFlags() & ExtendedFlags.DO;
      response.addRecord(new OPTRecord(ADVERTISED_UDP_PAYLOAD, reply.rcode() >>> 4, 0, dnssecOk), Section.ADDITIONAL);
    }
    byte[] wire = response.toWire(limit);
    boolean truncated = wire.length >= Header.LENGTH && (wire[2] & 0x02) != 0;
    counters.answered(reply.rcode(), truncated);
    return new Rendered(wire, truncated);
  }

  /**
   * A response and its full rcode, which may not fit the header's 4 bits (BADVERS is 16), and
   * whether it is the minimal answer to ANY.
   */
  private record Reply(Message message, int rcode, boolean anyMinimal) {}

  /** A response on the wire, and whether it was truncated to fit. */
  private record Rendered(byte[] wire, boolean truncated) {}

  private static void add(Message message, List<Record> records, int section) {
    for (Record r : records) {
      message.addRecord(r, section);
    }
  }
}
