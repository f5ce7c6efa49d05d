package io.pharos.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON form of journal entries and of the whole state (for Raft snapshots).
 *
 * <p>Every entry carries its format version {@code v}, written first. The rules a reader follows:
 * <ul>
 *   <li>{@code v} newer than the reader supports: refused with {@link UnsupportedVersionException}
 *       (the replica stops rather than skip a committed entry and diverge);</li>
 *   <li>{@code v} it supports: every field must be known. A writer that adds a field or an entry
 *       type raises that entry's version ({@link #formatVersion}), so an unknown field or type at a
 *       supported version is a corrupt or foreign entry, refused like a malformed one;</li>
 *   <li>no {@code v}: written before versions were recorded, read as version 1.</li>
 * </ul>
 * The leader never proposes an entry of a version some member cannot read ({@link GroupFormat}).
 * Snapshots are local to a replica's own version and carry no version.
 */
public final class JournalCodec {
  /** The newest entry format this build reads and writes. */
  public static final int FORMAT_VERSION = 2;
  /** The version of an entry written before versions were recorded, and the one every member reads. */
  public static final int BASE_VERSION = 1;
  static final String VERSION_FIELD = "v";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private JournalCodec() {}

  /**
   * The version {@code e} is written in: the oldest format that can express it. Every entry type
   * is version 1 but the approval entries and membership changes (2); an entry type that gains a field, or a new type, gets a higher version here
   * (and {@link #FORMAT_VERSION} follows), so the leader can hold it back until every member reads it.
   */
  public static int formatVersion(JournalEntry e) {
    // version 2: decisions that wait for an operator (approve mode, short evidence)
    if (e instanceof ApprovalRequested || e instanceof ApprovalGranted || e instanceof ApprovalRejected
        || e instanceof ApprovalWithdrawn) {
      return 2;
    }
    // version 2: membership changes journaled with who and why; the audit chain and break-glass use;
    // region report keys rotated through the journal
    if (e instanceof MembershipChange || e instanceof AuditRecorded || e instanceof AuditTruncated
        || e instanceof BreakGlassUsed || e instanceof RegionKeyRotated) {
      return 2;
    }
    // version 2: read-only on/off and the promoted write primary (operator calls); the status page's
    // maintenance windows and its retention; the alert outbox's delivered watermark
    if (e instanceof ReadOnlySet || e instanceof WritePrimaryPromoted || e instanceof MaintenanceScheduled
        || e instanceof MaintenanceCancelled || e instanceof StatusPruned
        || e instanceof AlertDelivered) {
      return 2;
    }
    return BASE_VERSION;
  }

  public static byte[] encode(JournalEntry e) {
    return encode(e, formatVersion(e));
  }

  /** Encodes {@code e} marked as format {@code version}. */
  public static byte[] encode(JournalEntry e, int version) {
    if (version < BASE_VERSION) {
      throw new IllegalArgumentException("journal format version must be at least " + BASE_VERSION + ", was "
          + version);
    }
    try {
      ObjectNode out = MAPPER.createObjectNode().put(VERSION_FIELD, version);
      out.setAll((ObjectNode) MAPPER.readTree(MAPPER.writerFor(JournalEntry.class).writeValueAsBytes(e)));
      return MAPPER.writeValueAsBytes(out);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Decodes an entry of a version this build reads. */
  public static JournalEntry decode(byte[] bytes) throws IOException {
    return decode(bytes, FORMAT_VERSION);
  }

  /**
   * Decodes an entry of a version up to {@code supported}.
   *
   * @throws UnsupportedVersionException when the entry is of a newer version
   * @throws IOException when it is not a well-formed entry of its version
   */
  public static JournalEntry decode(byte[] bytes, int supported) throws IOException {
    JsonNode tree = MAPPER.readTree(bytes);
    if (tree == null || !tree.isObject()) {
      throw new IOException("not a journal entry (a JSON object expected)");
    }
    ObjectNode entry = (ObjectNode) tree;
    JsonNode v = entry.remove(VERSION_FIELD);
    int version = BASE_VERSION;
    if (v != null) {
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < BASE_VERSION) {
        throw new IOException("journal entry format version must be a whole number from " + BASE_VERSION + ", was "
            + v);
      }
      version = v.asInt();
    }
    if (version > supported) {
      throw new UnsupportedVersionException(version, supported);
    }
    return MAPPER.treeToValue(entry, JournalEntry.class);
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
