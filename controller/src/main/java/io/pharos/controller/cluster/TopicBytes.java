package io.pharos.controller.cluster;

import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import com.hazelcast.topic.impl.DataAwareMessage;
import java.util.function.Consumer;

/**
 * A topic listener for byte frames (report frames) that deserializes nothing else. Any client can
 * publish any object on any topic; a member listener that called {@code getMessageObject()} on it
 * would deserialize whatever class the client chose. The serialized type is checked first; a
 * payload that is not a byte array goes to {@code refused} unread. (The serialized payload is
 * Hazelcast internal API; without it, only a {@code byte[]} is passed on, after deserialization
 * under the members' allow-list.)
 */
public final class TopicBytes implements MessageListener<Object> {
  private final Consumer<byte[]> frames;
  private final Runnable refused;

  public TopicBytes(Consumer<byte[]> frames, Runnable refused) {
    this.frames = frames;
    this.refused = refused;
  }

  @Override
  public void onMessage(Message<Object> m) {
    byte[] frame = of(m);
    if (frame == null) {
      refused.run();
    } else {
      frames.accept(frame);
    }
  }

  /** The message's bytes, or null when its payload is not a byte array (never deserialized then). */
  public static byte[] of(Message<?> m) {
    if (m instanceof DataAwareMessage d) {
      if (d.getMessageData() == null || d.getMessageData().getType() != SerializationConstants.CONSTANT_TYPE_BYTE_ARRAY) {
        return null;
      }
    }
    try {
      return m.getMessageObject() instanceof byte[] b ? b : null;
    } catch (RuntimeException e) {
      return null; // a class the allow-list refuses
    }
  }
}
