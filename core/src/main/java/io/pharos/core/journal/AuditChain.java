package io.pharos.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The audit chain's hashing, export and verification, shared by the state machine (which links
 * records), the API (which exports them) and {@code pharos audit verify} (which checks an export
 * offline).
 *
 * <p>A record's hash is SHA-256 over its fields in a fixed order, each written as
 * {@code name=<length>:<value>\n}, so no value can be shifted into another. The first record ever
 * follows {@link #GENESIS}. An export is JSON lines: an optional anchor first
 * ({@code "type":"anchor"}), then records ({@code "type":"record"}) in sequence order.
 */
public final class AuditChain {
  /** What the first record's {@code prev} is. */
  public static final String GENESIS = "0".repeat(64);
  private static final String ANCHOR_LABEL = "pharos/audit-anchor/v1";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AuditChain() {}

  /** The hash of {@code r}'s content (every field but the hash itself). */
  public static String hash(long seq, long at, String who, String role, String what, String why, String result,
      long term, String controller, String prev) {
    StringBuilder b = new StringBuilder();
    field(b, "seq", Long.toString(seq));
    field(b, "at", Long.toString(at));
    field(b, "who", who);
    field(b, "role", role);
    field(b, "what", what);
    field(b, "why", why);
    field(b, "result", result);
    field(b, "term", Long.toString(term));
    field(b, "controller", controller);
    field(b, "prev", prev);
    return Sha256.hex(b.toString());
  }

  public static String hash(AuditRecord r) {
    return hash(r.seq(), r.at(), r.who(), r.role(), r.what(), r.why(), r.result(), r.term(), r.controller(), r.prev());
  }

  /** The bytes the controllers' key signs for an anchor. */
  public static byte[] anchorBytes(long seq, String prev, long at, String controller) {
    StringBuilder b = new StringBuilder(ANCHOR_LABEL).append('\n');
    field(b, "seq", Long.toString(seq));
    field(b, "prev", prev);
    field(b, "at", Long.toString(at));
    field(b, "controller", controller);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder b, String name, String value) {
    String v = value == null ? "" : value;
    b.append(name).append('=').append(v.length()).append(':').append(v).append('\n');
  }

  /** The JSON lines of an export of {@code trail}: its anchor, if any, then its records. */
  public static List<String> export(AuditTrail trail) {
    List<String> out = new ArrayList<>();
    if (trail.anchor() != null) {
      AuditAnchor a = trail.anchor();
      out.add(MAPPER.createObjectNode().put("type", "anchor").put("seq", a.seq()).put("prev", a.prev())
          .put("at", a.at()).put("controller", a.controller()).put("signature", a.signature()).toString());
    }
    for (AuditRecord r : trail.records()) {
      out.add(line(r));
    }
    return out;
  }

  static String line(AuditRecord r) {
    ObjectNode n = MAPPER.createObjectNode().put("type", "record");
    n.setAll((ObjectNode) MAPPER.valueToTree(r));
    return n.toString();
  }

  /**
   * The outcome of checking an export.
   *
   * @param records how many records it holds
   * @param first the first record's sequence number (0 when none)
   * @param last the last record's sequence number (0 when none)
   * @param head the last record's hash (compare it with a later export or the live chain: a cut
   *     at the end shows only there)
   * @param anchored whether the export starts at a signed truncation anchor
   * @param problems what is wrong, by line; empty when the chain holds
   */
  public record Verification(int records, long first, long last, String head, boolean anchored,
      List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks an export: every line well formed, every record's hash matching its content, each
   * record following the one before (sequence and hash), and the start either the first record
   * ever or a truncation anchor signed with {@code controllersKey}.
   *
   * @param controllersKey the controllers' public key, or null (an anchored export then fails,
   *     saying the key is needed)
   */
  public static Verification verify(List<String> lines, PublicKey controllersKey) {
    List<String> problems = new ArrayList<>();
    AuditAnchor anchor = null;
    AuditRecord before = null;
    int records = 0;
    long first = 0;
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      if (raw.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = MAPPER.readTree(raw);
      } catch (IOException e) {
        problems.add("line " + lineNo + ": not JSON");
        continue;
      }
      String type = n == null ? "" : n.path("type").asText();
      if ("anchor".equals(type)) {
        if (before != null || anchor != null) {
          problems.add("line " + lineNo + ": an anchor may only start an export");
          continue;
        }
        anchor = new AuditAnchor(n.path("seq").asLong(), n.path("prev").asText(), n.path("at").asLong(),
            n.path("controller").asText(), n.path("signature").asText());
        if (controllersKey == null) {
          problems.add("line " + lineNo + ": the export starts at a truncation anchor; give the controllers' public key"
              + " (security.controllerPublicKey) to check its signature");
        } else if (!Ed25519.verify(controllersKey, anchorBytes(anchor.seq(), anchor.prev(), anchor.at(),
            anchor.controller()), base64(anchor.signature()))) {
          problems.add("line " + lineNo + ": the truncation anchor's signature is not the controllers' (forged or"
              + " changed)");
        }
        continue;
      }
      if (!"record".equals(type)) {
        problems.add("line " + lineNo + ": neither a record nor an anchor");
        continue;
      }
      AuditRecord r;
      try {
        ObjectNode copy = ((ObjectNode) n).deepCopy();
        copy.remove("type");
        r = MAPPER.treeToValue(copy, AuditRecord.class);
      } catch (IOException | IllegalArgumentException e) {
        problems.add("line " + lineNo + ": not an audit record");
        continue;
      }
      records++;
      if (!hash(r).equals(r.hash())) {
        problems.add("line " + lineNo + " (seq " + r.seq() + "): changed after it was written (its hash does not"
            + " match its content)");
      }
      if (before == null) {
        first = r.seq();
        if (anchor != null) {
          if (anchor.seq() != r.seq() || !anchor.prev().equals(r.prev())) {
            problems.add("line " + lineNo + " (seq " + r.seq() + "): does not start where the anchor says (seq "
                + anchor.seq() + "): records after the anchor were deleted");
          }
        } else if (r.seq() != 1 || !GENESIS.equals(r.prev())) {
          problems.add("line " + lineNo + " (seq " + r.seq() + "): the chain starts here without a signed truncation"
              + " anchor: records 1.." + (r.seq() - 1) + " were deleted");
        }
      } else if (r.seq() != before.seq() + 1) {
        problems.add("line " + lineNo + " (seq " + r.seq() + "): follows seq " + before.seq() + ": "
            + (r.seq() > before.seq() ? "records " + (before.seq() + 1) + ".." + (r.seq() - 1) + " were deleted"
                : "out of order"));
      } else if (!before.hash().equals(r.prev())) {
        problems.add("line " + lineNo + " (seq " + r.seq() + "): does not follow the record before it (that record"
            + " was changed or replaced)");
      }
      before = r;
    }
    if (records == 0 && problems.isEmpty()) {
      problems.add("no audit records");
    }
    return new Verification(records, first, before == null ? 0 : before.seq(), before == null ? null : before.hash(),
        anchor != null, List.copyOf(problems));
  }

  private static byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
