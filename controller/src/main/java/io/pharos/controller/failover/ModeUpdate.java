package io.pharos.controller.failover;

import com.hazelcast.map.EntryProcessor;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.wire.ModeCodec;
import java.util.Map;

/**
 * Writes a mode record on the member that owns it, only if its token is not older than the one
 * stored: a deposed leader's late mode change is refused by the map itself, not just by the
 * sender's own check. Returns the record that is stored afterwards.
 */
public final class ModeUpdate implements EntryProcessor<String, String, String> {
  private static final long serialVersionUID = 1L;
  private final String json;

  public ModeUpdate(ModeRecord record) {
    this.json = ModeCodec.encode(record);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    ModeRecord next = ModeCodec.decode(json);
    String current = entry.getValue();
    if (current != null && !ModeCodec.decode(current).acceptsReplacement(next)) {
      return current;
    }
    entry.setValue(json);
    return json;
  }
}
