package io.pharos.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;

/**
 * JSON form of a {@link ModeRecord}, as stored in the cluster's mode map and served by agents'
 * {@code /v1/mode}: {@code {"region":"b","mode":"read-only","token":"4:17","leaseMillis":15000,
 * "reason":"..."}}.
 */
public final class ModeCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModeCodec() {}

  public static String encode(ModeRecord m) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("region", m.region());
    n.put("mode", m.mode().label());
    n.put("token", m.token().toString());
    n.put("leaseMillis", m.leaseMillis());
    n.put("reason", m.reason());
    return n.toString();
  }

  public static ModeRecord decode(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      return new ModeRecord(n.get("region").asText(), Mode.ofLabel(n.get("mode").asText()),
          FencingToken.parse(n.get("token").asText()), n.get("leaseMillis").asLong(), n.path("reason").asText(""));
    } catch (Exception e) {
      throw new IllegalArgumentException("not a mode record: " + e.getMessage(), e);
    }
  }
}
