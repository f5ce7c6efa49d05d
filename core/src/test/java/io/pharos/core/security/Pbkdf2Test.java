package io.pharos.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Pbkdf2Test {
  @Test
  void aHashVerifiesItsSecretOnlyAndCarriesItsIterationCount() {
    String stored = Pbkdf2.hash("test-only-secret-not-real", Pbkdf2.MIN_ITERATIONS, new SecureRandom());
    assertThat(stored).startsWith("pbkdf2-sha256$10000$").doesNotContain("test-only");
    Pbkdf2.Stored s = Pbkdf2.parse(stored);
    assertThat(s.iterations()).isEqualTo(10_000);
    assertThat(Pbkdf2.verify("test-only-secret-not-real", s)).isTrue();
    assertThat(Pbkdf2.verify("test-only-secret-not-reaL", s)).isFalse();
    assertThat(Pbkdf2.hash("x", 10_000, new SecureRandom())).as("salted").isNotEqualTo(
        Pbkdf2.hash("x", 10_000, new SecureRandom()));
  }

  @Test
  void aMalformedOrTooCheapHashIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> Pbkdf2.parse("sha1$1$a$b")).hasMessageContaining("not a pbkdf2-sha256$")
        .hasMessageNotContaining("sha1$1");
    assertThatThrownBy(() -> Pbkdf2.parse("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA"))
        .hasMessageContaining("from 10000");
    assertThatThrownBy(() -> Pbkdf2.parse("pbkdf2-sha256$20000$!!$AAAA")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> Pbkdf2.hash("x", 5, new SecureRandom())).hasMessageContaining("iterations");
  }
}
