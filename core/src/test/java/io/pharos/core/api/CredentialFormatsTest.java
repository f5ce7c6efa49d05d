package io.pharos.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.security.Pbkdf2;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialFormatsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void anIssuedTokenNamesItsLineAndOnlyItsSecretChecksAgainstIt() {
    TokenFile.Issued t = TokenFile.issue("ops-alice", Role.OPERATOR, 600, Pbkdf2.MIN_ITERATIONS, RANDOM);
    assertThat(t.token()).startsWith("pt1.ops-alice.");
    assertThat(t.line()).startsWith("ops-alice operator pbkdf2-sha256$10000$").endsWith(" 600/min")
        .doesNotContain(t.token().substring("pt1.ops-alice.".length()));
    Map<String, TokenFile.Entry> read = TokenFile.parse(List.of("# comment", "", t.line()), "tokens");
    TokenFile.Entry e = read.get("ops-alice");
    assertThat(e.role()).isEqualTo(Role.OPERATOR);
    assertThat(e.perMinute()).isEqualTo(600);
    TokenFile.Presented p = TokenFile.Presented.of(t.token());
    assertThat(p.name()).isEqualTo("ops-alice");
    assertThat(Pbkdf2.verify(p.secret(), e.hash())).isTrue();
    assertThat(TokenFile.Presented.of("Bearer-ish")).isNull();
    assertThat(TokenFile.Presented.of("pt1..x")).isNull();
  }

  @Test
  void aBadTokensFileNamesEveryBadLineWithoutItsHash() {
    String hash = Pbkdf2.hash("x", Pbkdf2.MIN_ITERATIONS, RANDOM);
    assertThatThrownBy(() -> TokenFile.parse(List.of("a viewer " + hash, "a viewer " + hash, "b boss " + hash,
        "c operator pbkdf2-sha256$5$AAAA$AAAA", "d operator " + hash + " lots", "e:x viewer " + hash, "f"), "tokens"))
        .hasMessageContaining("tokens line 2: token 'a' is defined twice")
        .hasMessageContaining("line 3: token 'b': 'boss' is not a role")
        .hasMessageContaining("line 4: token 'c': the iteration count must be from 10000")
        .hasMessageContaining("line 5: token 'd': the limit must read like 600/min")
        .hasMessageContaining("line 6: 'e:x' is not a token name")
        .hasMessageContaining("line 7: expected '<name> <role> <hash> [<n>/min]'")
        .hasMessageNotContaining(hash);
    assertThatThrownBy(() -> TokenFile.issue("breakglass:x", Role.ADMIN, null, Pbkdf2.MIN_ITERATIONS, RANDOM))
        .hasMessageContaining("a token name is");
    assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
    assertThat(Role.VIEWER.allows(Role.OPERATOR)).isFalse();
  }

  @Test
  void recoveryCodesAreReadInAnyCaseAndTheirFileHoldsOnlyHashes() {
    RecoveryCodes.Generated g = RecoveryCodes.generate(3, Pbkdf2.MIN_ITERATIONS, RANDOM);
    assertThat(g.codes()).hasSize(3).allMatch(c -> c.matches("[0-9a-f]{8}-[A-Z2-7]{5}(-[A-Z2-7]{5}){3}"));
    Map<String, Pbkdf2.Stored> hashes = RecoveryCodes.parse(g.lines(), "codes");
    assertThat(hashes).hasSize(3);
    String code = g.codes().get(0);
    assertThat(String.join("\n", g.lines())).doesNotContain(code.substring(9));
    RecoveryCodes.Presented p = RecoveryCodes.Presented.of("  " + code.toLowerCase() + " ");
    assertThat(p.id()).isEqualTo(code.substring(0, 8));
    assertThat(Pbkdf2.verify(p.secret(), hashes.get(p.id()))).isTrue();
    assertThat(RecoveryCodes.Presented.of("12345678-AAAAA")).isNull();
    assertThatThrownBy(() -> RecoveryCodes.parse(List.of("zz nope"), "codes")).hasMessageContaining("codes line 1");
  }
}
