package io.pharos.cli.operator;

import static io.pharos.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.cli.CliRun.Result;
import io.pharos.core.api.RecoveryCodes;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditRecorded;
import io.pharos.core.journal.AuditTruncated;
import io.pharos.core.journal.ControlState;
import io.pharos.core.security.Ed25519;
import io.pharos.testkit.config.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorCommandsTest {
  @TempDir
  Path dir;

  @Test
  void tokensCreatePrintsTheTokenOnceAndItsLineAndAppendsIt() throws Exception {
    Path file = dir.resolve("tokens");
    Result r = run("tokens", "create", "--name", "alice", "--role", "operator", "--iterations", "10000", "--file",
        file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String token = r.out().lines().filter(l -> l.startsWith("pt1.alice.")).findFirst().orElseThrow();
    var entries = TokenFile.parse(Files.readAllLines(file), "tokens");
    assertThat(entries.get("alice").role()).isEqualTo(Role.OPERATOR);
    assertThat(Files.readString(file)).doesNotContain(token.substring("pt1.alice.".length()));
    assertThat(io.pharos.core.security.Pbkdf2.verify(TokenFile.Presented.of(token).secret(),
        entries.get("alice").hash())).isTrue();
    Result again = run("tokens", "create", "--name", "alice", "--role", "viewer", "--iterations", "10000", "--file",
        file.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already has a token named 'alice'");
    assertThat(run("tokens", "create", "--name", "bob", "--role", "king").err()).contains("'king' is not a role");
  }

  @Test
  void breakglassCodesWritesOnlyHashesAndKeepsAnExistingFile() throws Exception {
    Path file = dir.resolve("codes");
    Result r = run("breakglass", "codes", "--count", "2", "--iterations", "10000", "--out", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> codes = r.out().lines().filter(l -> l.matches("[0-9a-f]{8}-.*")).toList();
    assertThat(codes).hasSize(2);
    assertThat(RecoveryCodes.parse(Files.readAllLines(file), "codes")).hasSize(2);
    assertThat(Files.readString(file)).doesNotContain(codes.get(0).substring(9));
    assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    Result again = run("breakglass", "codes", "--count", "2", "--out", file.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("exists").contains("--force");
  }

  @Test
  void auditVerifyAcceptsAnIntactOrSignedTruncatedExportAndCatchesAChangedOrDeletedLine() throws Exception {
    KeyPair keys = Ed25519.generate();
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    for (int i = 1; i <= 6; i++) {
      s = s.apply(new AuditRecorded("alice", "operator", "POST /v1/automation/pause", "window " + i, "committed 2:" + i,
          2, 1_000 + i, "c1"), 2, i).state();
    }
    Path intact = dir.resolve("intact.jsonl");
    Files.write(intact, AuditChain.export(s.audit()));
    String key = Ed25519.base64(keys.getPublic());
    Result ok = run("audit", "verify", intact.toString(), "--public-key", key);
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("verified, 6 records, seq 1..6 (from the first record)");

    List<String> changed = new ArrayList<>(Files.readAllLines(intact));
    changed.set(2, changed.get(2).replace("window 3", "window 9"));
    Path tampered = dir.resolve("tampered.jsonl");
    Files.write(tampered, changed);
    Result bad = run("audit", "verify", tampered.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).contains("NOT VERIFIED").contains("line 3 (seq 3): changed after it was written");

    List<String> deleted = new ArrayList<>(Files.readAllLines(intact));
    deleted.remove(4);
    Files.write(tampered, deleted);
    assertThat(run("audit", "verify", tampered.toString()).out()).contains("records 5..5 were deleted");

    var before = s.audit().records().get(2);
    String sig = Base64.getEncoder().encodeToString(Ed25519.sign(keys.getPrivate(),
        AuditChain.anchorBytes(4, before.hash(), 9_000, "c1")));
    ControlState truncated = s.apply(new AuditTruncated(4, before.hash(), sig, 2, 9_000, "c1"), 2, 20).state();
    Path anchored = dir.resolve("anchored.jsonl");
    Files.write(anchored, AuditChain.export(truncated.audit()));
    Result signed = run("audit", "verify", anchored.toString(), "--public-key", key);
    assertThat(signed.code()).as(signed.out()).isZero();
    assertThat(signed.out()).contains("seq 4..6 (starts at a signed truncation anchor)");
    Result otherKey = run("audit", "verify", anchored.toString(), "--public-key",
        Ed25519.base64(Ed25519.generate().getPublic()));
    assertThat(otherKey.code()).isEqualTo(1);
    assertThat(otherKey.out()).contains("signature is not the controllers'");
  }

  @Test
  void aTokenIsNotSentInClearToAnotherHostAndMutationsNeedAReason() {
    ControllerTarget t = new ControllerTarget();
    t.token = "test-only-token-not-a-secret";
    t.api = List.of("http://192.0.2.7:8080");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.postToLeader("/v1/ack", ControllerTarget.body()))
        .hasMessageContaining("refusing to send a credential over plain HTTP to 192.0.2.7");
    Result r = run("resume", "--api", "http://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--reason");
    Result members = run("controllers", "--set-members", "c1=127.0.0.1:1", "--reason", "x", "--api",
        "http://127.0.0.1:1");
    assertThat(members.err()).contains("--set-members takes 3 or 5 controllers");
  }

  @Test
  void refusalsAreExplainedForAPerson() {
    var m = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(ControllerTarget.explain(new ControllerTarget.Answer("u", 401,
        m.createObjectNode().put("error", "unknown token or wrong secret")))).contains("unauthorized")
        .contains("pharos tokens create");
    assertThat(ControllerTarget.explain(new ControllerTarget.Answer("u", 403,
        m.createObjectNode().put("error", "token 'v' is viewer; POST /v1/ack needs operator")))).startsWith("forbidden")
        .contains("needs operator");
    assertThat(ControllerTarget.explain(new ControllerTarget.Answer("u", 429,
        m.createObjectNode().put("error", "too many").put("retryAfter", "42")))).contains("try again in 42 s");
    assertThat(ControllerTarget.explain(new ControllerTarget.Answer("u", 409,
        m.createObjectNode().put("error", "refused by the journal: x")))).startsWith("conflict");
  }

  @Test
  void theConfigsApiTlsMakesTheUrlsHttps() throws Exception {
    String yaml = """
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
        dns: { zone: pharos.test, records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ] }
        controllers:
          insecurePlaintext: true
          peers:
            - { id: c1, region: a, raft: "10.0.0.1:7600", hazelcast: "10.0.0.1:5701", api: "10.0.0.1:8080", dns: "10.0.0.1:53" }
        api:
          tls: { caFile: /etc/pharos/api-ca.pem }
        """;
    Path cfg = dir.resolve("pharos.yaml");
    Files.writeString(cfg, yaml);
    ConfigLoader.parse(yaml, TestConfigs.ENV);
    ControllerTarget t = new ControllerTarget();
    t.config = cfg;
    assertThat(t.urls()).containsExactly("https://10.0.0.1:8080");
  }
}
