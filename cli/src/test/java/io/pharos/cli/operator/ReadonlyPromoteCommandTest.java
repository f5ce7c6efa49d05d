package io.pharos.cli.operator;

import static io.pharos.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pharos readonly on|off R} and {@code pharos promote R}: what they post, and bad input. */
class ReadonlyPromoteCommandTest {
  final List<String> calls = new CopyOnWriteArrayList<>();
  HttpServer leader;

  @BeforeEach
  void start() throws Exception {
    leader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    leader.createContext("/", ex -> {
      calls.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      byte[] b = "{\"committed\":true,\"token\":\"3:7\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    leader.start();
  }

  @AfterEach
  void stop() {
    leader.stop(0);
  }

  private int call(Object command, String... args) throws Exception {
    CommandLine cl = new CommandLine(command);
    cl.parseArgs(args);
    ControllerTarget t = command instanceof ReadonlyCommand r ? r.target : ((PromoteCommand) command).target;
    t.token = "test-only-token-not-a-secret";
    t.api = List.of("http://127.0.0.1:" + leader.getAddress().getPort());
    return ((java.util.concurrent.Callable<Integer>) command).call();
  }

  @Test
  void readonlyAndPromotePostToTheirRoutes() throws Exception {
    assertThat(call(new ReadonlyCommand(), "on", "eu-west", "--reason", "migration")).isZero();
    assertThat(call(new ReadonlyCommand(), "OFF", "eu-west", "--reason", "done")).isZero();
    assertThat(call(new PromoteCommand(), "us-east", "--reason", "eu-west lost", "--force")).isZero();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0)).startsWith("/v1/regions/eu-west/readonly ").contains("\"on\":true")
        .contains("\"reason\":\"migration\"");
    assertThat(calls.get(1)).contains("\"on\":false");
    assertThat(calls.get(2)).startsWith("/v1/regions/us-east/promote ").contains("\"force\":true");
  }

  @Test
  void badInputIsSaid() {
    var r = run("readonly", "maybe", "eu-west", "--reason", "x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("say 'on' or 'off', not 'maybe'");
    assertThat(run("promote", "eu-west").err()).contains("--reason");
    assertThat(run("promote", "--help").out()).contains("replication lag").contains("--force");
  }
}
