package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodedStringsTest {
  private final DecodedStrings strings = new DecodedStrings();

  @Test
  void theSameBytesGiveTheSameStringOnce() {
    byte[] frame = "xxeu-westyy".getBytes(StandardCharsets.UTF_8);
    String first = strings.decode(frame, 2, 7);
    assertThat(first).isEqualTo("eu-west");
    assertThat(strings.decode("eu-west".getBytes(StandardCharsets.UTF_8), 0, 7)).isSameAs(first);
  }

  @Test
  void differentBytesNeverGetAKeptString() {
    // many names: slots collide and are replaced, and every answer is still the string of its bytes
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 20_000; i++) {
        String name = "agent-" + i;
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        assertThat(strings.decode(b, 0, b.length)).isEqualTo(name);
      }
    }
  }

  @Test
  void decodesAsNewStringDoesIncludingInvalidUtf8() {
    byte[] b = {'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 'z'};
    assertThat(strings.decode(b, 0, b.length)).isEqualTo(new String(b, StandardCharsets.UTF_8));
  }
}
