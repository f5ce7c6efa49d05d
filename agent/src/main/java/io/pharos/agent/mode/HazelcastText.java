package io.pharos.agent.mode;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.impl.DataAwareEntryEvent;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.impl.DataAwareMessage;

/**
 * The text of a Hazelcast message or map event, read only when it is text. Anyone who reaches the
 * data plane can publish any object to the mode topic or put one in the mode map; deserializing
 * it would let them choose a class for the agent to instantiate. The payload's serialized type is
 * checked first, and anything but a string is never deserialized. (Hazelcast's event classes that
 * expose the serialized payload are internal API; if a release drops them, only strings are still
 * accepted, after deserialization.)
 */
final class HazelcastText {
  private HazelcastText() {}

  /** The message's text, or null when its payload is not a string. */
  static String of(Message<?> m) {
    if (m instanceof DataAwareMessage d) {
      return text(d.getMessageData(), d::getMessageObject);
    }
    return m.getMessageObject() instanceof String s ? s : null;
  }

  /** The event's new value as text, or null when it is not a string. */
  static String of(EntryEvent<?, ?> e) {
    if (e instanceof DataAwareEntryEvent<?, ?> d) {
      return text(d.getNewValueData(), d::getValue);
    }
    return e.getValue() instanceof String s ? s : null;
  }

  private static String text(Data data, java.util.function.Supplier<Object> object) {
    if (data == null || data.getType() != SerializationConstants.CONSTANT_TYPE_STRING) {
      return null;
    }
    return object.get() instanceof String s ? s : null;
  }
}
