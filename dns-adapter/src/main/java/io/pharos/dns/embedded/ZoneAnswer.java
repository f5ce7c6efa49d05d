package io.pharos.dns.embedded;

import java.util.List;
import org.xbill.DNS.Record;

/** The sections of an answer from the zone, before it is put on the wire. */
record ZoneAnswer(int rcode, List<Record> answer, List<Record> authority, List<Record> additional) {
  ZoneAnswer {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }
}
