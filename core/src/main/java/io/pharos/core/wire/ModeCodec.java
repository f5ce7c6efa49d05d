package io.pharos.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import java.util.Base64;

/**
 * JSON form of a {@link SignedModeRecord}, as the controllers broadcast it on the mode topic,
 * leave it in the mode map and agents serve it on {@code /v1/mode} ({@code record}):
 * <pre>{@code
 * {"v":1,"group":"pharos","region":"b","mode":"read-only","token":"4:17","leaseMillis":15000,
 *  "issuedTerm":4,"issuedAt":1764000000000,"reason":"RegionDown d-17",
 *  "keyId":"3f1c0a9e5b7d2c41","sig":"<base64 Ed25519 signature>"}
 * }</pre>
 * Decoding checks the form only (fields, types, size); whether the signature is the controllers'
 * is {@link ModeRecordVerifier}'s business. Unknown fields are ignored so that a later version
 * can add some; a record of a newer {@code v} is refused.
 */
public final class ModeCodec {
  /** Format version written in {@code v}. */
  public static final int VERSION = 1;
  /** Longest record text accepted: a real one is a few hundred bytes; anything longer is not read. */
  public static final int MAX_CHARS = 4096;
  /** Longest reason a record carries (the controllers cut longer ones before signing). */
  public static final int MAX_REASON_CHARS = 512;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModeCodec() {}

  public static String encode(SignedModeRecord s) {
    ModeRecord m = s.record();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", VERSION);
    n.put("group", m.group());
    n.put("region", m.region());
    n.put("mode", m.mode().label());
    n.put("token", m.token().toString());
    n.put("leaseMillis", m.leaseMillis());
    n.put("issuedTerm", m.issuedTerm());
    n.put("issuedAt", m.issuedAtMillis());
    n.put("reason", m.reason());
    if (s.signed()) {
      n.put("keyId", s.keyId());
      n.put("sig", s.signatureBase64());
    }
    return n.toString();
  }

  /**
   * The record in {@code json}, signed or not.
   *
   * @throws IllegalArgumentException naming what is wrong: too long, not JSON, a field missing or
   *     of the wrong type, a newer format version
   */
  public static SignedModeRecord decode(String json) {
    if (json == null) {
      throw new IllegalArgumentException("not a mode record: null");
    }
    if (json.length() > MAX_CHARS) {
      throw new IllegalArgumentException("not a mode record: " + json.length() + " characters, more than "
          + MAX_CHARS);
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a mode record: not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a mode record: not a JSON object");
    }
    long v = number(n, "v");
    if (v != VERSION) {
      throw new IllegalArgumentException("not a mode record this agent reads: version " + v + " (reads "
          + VERSION + ")");
    }
    String reason = n.hasNonNull("reason") ? text(n, "reason") : "";
    if (reason.length() > MAX_REASON_CHARS) {
      throw new IllegalArgumentException("not a mode record: reason longer than " + MAX_REASON_CHARS);
    }
    ModeRecord record;
    try {
      record = new ModeRecord(text(n, "group"), text(n, "region"), Mode.ofLabel(text(n, "mode")),
          FencingToken.parse(text(n, "token")), number(n, "leaseMillis"), number(n, "issuedTerm"),
          number(n, "issuedAt"), reason);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("not a mode record") ? e.getMessage()
          : "not a mode record: " + e.getMessage(), e);
    }
    if (!n.has("sig") && !n.has("keyId")) {
      return SignedModeRecord.unsigned(record);
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(text(n, "sig"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a mode record: sig is not base64");
    }
    return new SignedModeRecord(record, text(n, "keyId"), sig);
  }

  private static String text(JsonNode n, String field) {
    JsonNode f = n.get(field);
    if (f == null || !f.isTextual()) {
      throw new IllegalArgumentException("not a mode record: " + field + (f == null ? " is missing" : " is not text"));
    }
    return f.asText();
  }

  private static long number(JsonNode n, String field) {
    JsonNode f = n.get(field);
    if (f == null || !f.isIntegralNumber() || !f.canConvertToLong()) {
      throw new IllegalArgumentException("not a mode record: " + field
          + (f == null ? " is missing" : " is not a whole number"));
    }
    return f.asLong();
  }
}
