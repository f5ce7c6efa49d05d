package io.pharos.controller.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.journal.RegionMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One region's mode change as a webhook carries it: the region, its mode, the fencing token of the
 * committed entry that set it ({@code term:index}; receivers keep the highest per region and
 * ignore older ones), when the acting leader saw it committed, and why.
 */
record ModeChange(String group, String environment, String region, RegionMode mode, String writePrimary, long at) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The JSON body, exactly the bytes that are signed. */
  byte[] body() {
    ObjectNode n = MAPPER.createObjectNode()
        .put("type", "mode")
        .put("group", group)
        .put("environment", environment)
        .put("region", region)
        .put("mode", mode.mode().label())
        .put("token", mode.token().toString())
        .put("term", mode.token().term())
        .put("index", mode.token().index())
        .put("at", Instant.ofEpochMilli(at).toString())
        .put("reason", mode.reason());
    n.put("writePrimary", writePrimary);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
