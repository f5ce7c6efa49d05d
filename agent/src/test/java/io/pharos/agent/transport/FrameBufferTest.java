package io.pharos.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameBufferTest {
  static byte[] f(int n) {
    return new byte[] {(byte) n};
  }

  @Test
  void keeps_order_and_drops_the_oldest_when_full() {
    FrameBuffer<byte[]> b = new FrameBuffer<>(3);
    for (int i = 1; i <= 5; i++) {
      b.add(f(i));
    }
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.dropped()).isEqualTo(2);
    assertThat(b.poll()).containsExactly(3);
    assertThat(b.poll()).containsExactly(4);
    assertThat(b.poll()).containsExactly(5);
    assertThat(b.poll()).isNull();
  }

  @Test
  void a_failed_frame_goes_back_to_the_head_unless_newer_frames_filled_the_buffer() {
    FrameBuffer<byte[]> b = new FrameBuffer<>(2);
    b.add(f(1));
    b.add(f(2));
    byte[] first = b.poll();
    b.putBack(first);
    assertThat(b.poll()).containsExactly(1);
    b.add(f(3));
    assertThat(b.size()).isEqualTo(2);
    b.putBack(f(1)); // it is older than everything held: it is the one dropped
    assertThat(b.dropped()).isEqualTo(1);
    assertThat(b.poll()).containsExactly(2);
  }

  @Test
  void rejects_a_limit_below_one() {
    assertThatThrownBy(() -> new FrameBuffer<byte[]>(0)).hasMessageContaining("at least 1");
  }
}
