package io.pharos.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hkdfMatchesRfc5869TestCaseOne() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(HEX.formatHex(Hkdf.extract(salt, ikm)))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(Hkdf.derive(ikm, salt, info, 42))).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void hkdfMatchesRfc5869TestCaseThreeWithoutSaltOrInfo() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    assertThat(HEX.formatHex(Hkdf.derive(ikm, new byte[0], new byte[0], 42))).isEqualTo(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void differentLabelsGiveUnrelatedKeys() {
    byte[] secret = "a-test-master-secret-not-real-0001".getBytes(StandardCharsets.UTF_8);
    assertThat(Hkdf.derive(secret, "region/eu-west/1", 32)).isNotEqualTo(Hkdf.derive(secret, "region/eu-west/2", 32))
        .isNotEqualTo(Hkdf.derive(secret, "region/us-east/1", 32));
    assertThatThrownBy(() -> Hkdf.derive(secret, "x", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ed25519SignsAndVerifiesAndSurvivesPemAndBase64() {
    KeyPair kp = Ed25519.generate();
    byte[] data = "mode eu-west read-only 7:42".getBytes(StandardCharsets.UTF_8);
    byte[] sig = Ed25519.sign(Ed25519.privateKey(Ed25519.pem(kp.getPrivate())), data);
    assertThat(Ed25519.verify(Ed25519.publicKey(Ed25519.pem(kp.getPublic())), data, sig)).isTrue();
    assertThat(Ed25519.verify(Ed25519.publicKey(Ed25519.base64(kp.getPublic())), data, sig)).isTrue();
    data[0] ^= 1;
    assertThat(Ed25519.verify(kp.getPublic(), data, sig)).as("changed data").isFalse();
    assertThat(Ed25519.verify(Ed25519.generate().getPublic(), data, sig)).as("another key").isFalse();
    assertThat(Ed25519.verify(kp.getPublic(), data, new byte[3])).as("malformed signature").isFalse();
  }

  @Test
  void aKeyThatIsNotEd25519IsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> Ed25519.privateKey("c2VjcmV0LXZhbHVl")).hasMessage(
        "not an Ed25519 private key (PKCS#8 PEM or base64 expected)");
    assertThatThrownBy(() -> Ed25519.publicKey("%%%")).hasMessageNotContaining("%%%");
  }
}
