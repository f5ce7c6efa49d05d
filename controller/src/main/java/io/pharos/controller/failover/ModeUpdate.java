package io.pharos.controller.failover;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.LazyMapEntry;
import com.hazelcast.query.impl.CachedQueryEntry;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordVerifier;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a signed mode record into the mailbox map on the member that owns it. What is stored
 * there counts only if the controllers signed it: a record that is unsigned, signed by another key,
 * undecodable or not even text (anything a client of the data plane can put) is overwritten. A
 * validly signed record is kept only when the new one is not newer than it (an older token, or
 * the same token issued earlier: a deposed leader's late write), so the mailbox never goes back.
 *
 * <p>Returns what happened: {@code written}, {@code replaced-foreign:<why>} or {@code kept:<token>}.
 * Sent between members with Java serialization: its class is on the members' allow-list
 * ({@code HazelcastMembership}).
 */
public final class ModeUpdate implements EntryProcessor<String, Object, String> {
  private static final long serialVersionUID = 2L;
  static final String WRITTEN = "written";
  static final String REPLACED_FOREIGN = "replaced-foreign:";
  static final String KEPT = "kept:";

  private final String json;
  private final String group;
  private final String[] trustedKeys;

  /**
   * @param record the record to store, signed
   * @param group the controllers' group
   * @param trustedKeys the public keys (base64) whose signatures count
   */
  public ModeUpdate(SignedModeRecord record, String group, String[] trustedKeys) {
    this.json = ModeCodec.encode(record);
    this.group = group;
    this.trustedKeys = trustedKeys.clone();
  }

  @Override
  public String process(Map.Entry<String, Object> entry) {
    ModeRecord next = ModeCodec.decode(json).record();
    String why = heldOver(entry, next);
    if (why.startsWith(KEPT)) {
      return why;
    }
    if (why.startsWith(REPLACED_FOREIGN) && entry instanceof LazyMapEntry<?, ?> lazy) {
      // setValue returns the old value, deserializing it: drop a foreign value unread first
      lazy.remove();
    }
    entry.setValue(json);
    return why;
  }

  /** Whether the stored value stays ({@code kept:...}) or what it was when it goes. */
  private String heldOver(Map.Entry<String, Object> entry, ModeRecord next) {
    if (entry instanceof CachedQueryEntry<?, ?> cached) {
      // what a client stored is read only if it is text: no class of its choosing gets instantiated here
      // (internal API of the member's entry; without it the allow-list still refuses foreign classes)
      Data data = cached.getValueData();
      if (data != null && data.getType() != SerializationConstants.CONSTANT_TYPE_STRING) {
        return REPLACED_FOREIGN + "not-text";
      }
    }
    Object current;
    try {
      current = entry.getValue();
    } catch (RuntimeException e) {
      // a value this member cannot (or may not) deserialize: a client put it there
      return REPLACED_FOREIGN + "undecodable";
    }
    if (current == null) {
      return WRITTEN;
    }
    if (!(current instanceof String text)) {
      return REPLACED_FOREIGN + "not-text";
    }
    SignedModeRecord held;
    try {
      held = ModeCodec.decode(text);
    } catch (IllegalArgumentException e) {
      return REPLACED_FOREIGN + "malformed";
    }
    ModeRecordVerifier.Verdict verdict = new ModeRecordVerifier(group,
        Arrays.stream(trustedKeys).map(Ed25519::publicKey).toList()).verify(held);
    if (verdict != ModeRecordVerifier.Verdict.VALID) {
      return REPLACED_FOREIGN + verdict.label();
    }
    if (!held.record().region().equals(next.region())) {
      return REPLACED_FOREIGN + "other-region"; // a real record of another region, copied here
    }
    return held.record().relationOf(next) == ModeRecord.Relation.NOT_NEWER && !held.record().equals(next)
        ? KEPT + held.record().token() : WRITTEN;
  }
}
