package io.pharos.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON form of journal entries and of the whole state (for Raft snapshots). */
public final class JournalCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private JournalCodec() {}

  public static byte[] encode(JournalEntry e) {
    try {
      return MAPPER.writerFor(JournalEntry.class).writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public static JournalEntry decode(byte[] bytes) throws IOException {
    return MAPPER.readValue(bytes, JournalEntry.class);
  }

  public static byte[] encodeState(ControlState s) {
    try {
      return MAPPER.writeValueAsBytes(s);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public static ControlState decodeState(byte[] bytes) throws IOException {
    return MAPPER.readValue(bytes, ControlState.class);
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
