package io.pharos.cli;

import static io.pharos.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir
  Path dir;

  @Test
  void helpListsTheCommands() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "controller", "agent", "app");
  }

  @Test
  void keysGeneratePrintsAPairThatSignsAndVerifies() throws Exception {
    Result r = run("keys", "generate");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("-----BEGIN PRIVATE KEY-----").contains("security:\n  controllerPublicKey: ");
    java.security.PrivateKey key = io.pharos.core.security.Ed25519.privateKey(r.out().substring(
        r.out().indexOf("-----BEGIN"), r.out().indexOf("-----END PRIVATE KEY-----") + 25));
    String line = r.out().lines().filter(l -> l.startsWith("  controllerPublicKey: ")).findFirst().orElseThrow();
    java.security.PublicKey pub = io.pharos.core.security.Ed25519.publicKey(line.substring(line.indexOf(':') + 2));
    assertThat(io.pharos.core.security.ControllerKeys.pairs(key, pub)).isTrue();
    assertThat(r.out()).contains("key id " + io.pharos.core.security.ControllerKeys.keyId(pub));

    Path file = dir.resolve("keys/controller-key.pem");
    Result toFile = run("keys", "generate", "--private-key-file", file.toString());
    assertThat(toFile.code()).isZero();
    assertThat(toFile.out()).doesNotContain("PRIVATE KEY-----").contains("controllerPublicKey: ");
    assertThat(io.pharos.core.security.Ed25519.privateKey(Files.readString(file))).isNotNull();
    assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    Result again = run("keys", "generate", "--private-key-file", file.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already exists");
  }

  @Test
  void anUnknownCommandIsRefusedEvenWithHelp() {
    for (String[] args : new String[][] {{"nosuch", "--help"}, {"nosuch"}, {"--help", "nosuch"}}) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains("pharos: unknown command 'nosuch'")
          .contains("pharos --help");
      assertThat(r.out()).as(String.join(" ", args)).doesNotContain("Usage:");
    }
    Result typo = run("failovr", "us-east");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown command 'failovr'").contains("failover");
    Result option = run("demo", "--nosuch", "--help");
    assertThat(option.code()).isEqualTo(2);
    assertThat(option.err()).contains("pharos demo: Unknown option: '--nosuch'");
  }

  @Test
  void theSandboxNodeCommandLinesAreThisCliCommands() {
    PharosNodes nodes = (PharosNodes) PharosNodes.launcher().nodes();
    Path cfg = dir.resolve("pharos.yaml");
    assertThat(parse(nodes.app("127.0.0.1:1", "eu-west"))).isInstanceOf(AppCommand.class);
    assertThat(parse(nodes.controller(cfg, "c-eu-west", dir.resolve("data")))).isInstanceOf(ControllerCommand.class);
    assertThat(parse(nodes.agent(cfg, "eu-west", "agent-eu-west", "127.0.0.1:2"))).isInstanceOf(AgentCommand.class);
    assertThat(PharosNodes.launcher().mainClass()).isEqualTo(Pharos.class.getName());
  }

  /** The sub-command a command line selects, parsed (not run) with every option checked. */
  private static Object parse(java.util.List<String> args) {
    picocli.CommandLine.ParseResult p = new picocli.CommandLine(new Pharos()).parseArgs(args.toArray(String[]::new));
    assertThat(p.subcommand().unmatched()).as(args.toString()).isEmpty();
    return p.subcommand().commandSpec().userObject();
  }

  @Test
  void aBadConfigStopsStartUpNamingTheFieldAndExits2() throws Exception {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, """
        regions:
          - { name: a, endpoints: [ { id: app, url: "localhost/healthz" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://10.0.0.2/healthz" } ] }
        dns: { zone: example.com, records: [ { name: app.example.com, targets: { a: ["10.0.0.1"] } } ] }
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        """);
    Result r = run("controller", "--config", cfg.toString(), "--id", "c1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml: regions[0].endpoints[0].url (line 2): not an absolute http(s) URL");
  }

  @Test
  void evacuateChecksItsPlanBeforeAskingAController() {
    Result r = run("evacuate", "us-east", "--steps", "50,75,0", "--reason", "x", "--api", "http://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("steps must go down");
    r = run("evacuate", "us-east", "--hold", "soon", "--reason", "x", "--api", "http://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--hold: 'soon' is not a duration");
    r = run("evacuate", "us-east", "--steps", "75,half", "--reason", "x", "--api", "http://127.0.0.1:1");
    assertThat(r.err()).contains("steps: 'half' is not a whole percentage");
    r = run("evacuate", "us-east", "--abort", "--hold", "1s", "--reason", "x", "--api", "http://127.0.0.1:1");
    assertThat(r.err()).contains("--abort takes no --steps or --hold");
    assertThat(run("--help").out()).contains("evacuate");
  }

  @Test
  void aMissingConfigFileIsAClearError() {
    Result r = run("agent", "--config", dir.resolve("nope.yaml").toString(), "--region", "a");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read").contains("nope.yaml");
  }
}
