package io.pharos.cli.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.cli.CliRun;
import io.pharos.controller.http.StatusJson;
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pharos status} and {@code pharos regions} against a local endpoint answering what the
 * controller's own {@link StatusJson} renders (with a decision step's verdicts and agents filled
 * in), and the errors a person meets: nothing answering, a refused token, a too-low role, a 409.
 */
class StatusCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
  private final JsonEndpoints endpoints = new JsonEndpoints();

  @AfterEach
  void stop() {
    endpoints.close();
  }

  private String controller(int status, String body) throws Exception {
    return endpoints.answering(status, body);
  }

  /** What a leader answers with region c failed over 5 minutes ago, as StatusJson renders it. */
  private static String status() {
    ControlState state = ControlState.initial(TestConfigs.threeRegions());
    ObjectNode seat = MAPPER.createObjectNode().put("role", "LEADER").put("leader", "c1").put("term", 3)
        .put("acting", true).put("lastApplied", 42);
    ObjectNode s = StatusJson.render("c1", seat, null, state, 0, Map.of());
    // the parts a decision step and the journal's history add
    ((ObjectNode) s.path("regions").path("a")).put("state", "HEALTHY");
    ((ObjectNode) s.path("regions").path("b")).put("state", "HEALTHY");
    ((ObjectNode) s.path("regions").path("c")).put("state", "DOWN").put("out", true).put("mode", "read-only")
        .put("lastChangeAt", NOW.minusSeconds(300).toEpochMilli());
    ObjectNode zone = (ObjectNode) s.path("zone");
    zone.putObject("weights").putObject("app.pharos.test").put("a", 60).put("b", 40).put("c", 0);
    ObjectNode agents = s.putObject("agents").putObject("regions");
    agents.putObject("a").put("live", 2).put("known", 2);
    agents.putObject("b").put("live", 2).put("known", 2);
    agents.putObject("c").put("live", 0).put("known", 2);
    s.putArray("analyses").addObject().put("code", "RegionDown").put("severity", "CRITICAL").put("region", "c")
        .put("message", "2 of 2 other regions see c failing");
    return s.toString();
  }

  private static ControllerTarget target(String... urls) {
    ControllerTarget t = new ControllerTarget();
    t.token = "test-only-token-not-a-secret";
    t.api = List.of(urls);
    return t;
  }

  private static CliRun.Result run(Callable<Integer> command) {
    return CliRun.capture(command);
  }

  private static StatusView status(ControllerTarget t, OutputFormat.Format f) {
    return view(new StatusCommand(), t, f);
  }

  private static StatusView regions(ControllerTarget t, OutputFormat.Format f) {
    return view(new RegionsCommand(), t, f);
  }

  private static StatusView view(StatusView c, ControllerTarget t, OutputFormat.Format f) {
    c.target = t;
    c.output = format(f);
    c.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return c;
  }

  private static OutputFormat format(OutputFormat.Format f) {
    OutputFormat o = new OutputFormat();
    o.format = f;
    return o;
  }

  @Test
  void regions_is_an_aligned_table_with_verdict_mode_weight_agents_and_last_change() throws Exception {
    String down = "http://127.0.0.1:" + Ports.free();
    CliRun.Result r = run(regions(target(down, controller(200, status())), OutputFormat.Format.table));
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("REGION").contains("VERDICT", "MODE", "WEIGHT", "AGENTS", "LAST CHANGE");
    assertThat(lines.get(3)).startsWith("c ").contains("DOWN (out)", "read-only", " 0 ", "0/2",
        "2026-12-06 07:55:00Z (5m ago)");
    assertThat(lines.get(1)).startsWith("a ").contains("HEALTHY", "read-write", "60", "2/2", "never");
    for (String column : List.of("VERDICT", "MODE", "WEIGHT", "AGENTS")) {
      int at = lines.get(0).indexOf(column);
      assertThat(lines.subList(1, 4)).as("column " + column + " aligned")
          .allSatisfy(l -> assertThat(l.charAt(at - 1)).isEqualTo(' ').isNotEqualTo(l.charAt(at)));
    }
    assertThat(r.err()).as("the silent controller is named").contains(down);
  }

  @Test
  void status_shows_the_summary_and_the_regions_and_json_is_the_apis_answer() throws Exception {
    String url = controller(200, status());
    CliRun.Result r = run(status(target(url), OutputFormat.Format.table));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("controller c1 (LEADER, acting leader), term 3, leader c1; via " + url)
        .contains("in flight: nothing").contains("CRITICAL RegionDown c: 2 of 2 other regions see c failing")
        .contains("REGION").contains("DOWN (out)");

    CliRun.Result json = run(status(target(url), OutputFormat.Format.json));
    assertThat(json.code()).isZero();
    assertThat(MAPPER.readTree(json.out())).isEqualTo(MAPPER.readTree(status()));
    CliRun.Result regionsJson = run(regions(target(url), OutputFormat.Format.json));
    assertThat(MAPPER.readTree(regionsJson.out())).isEqualTo(MAPPER.readTree(status()).path("regions"));
  }

  @Test
  void errors_name_what_to_do_and_exit_with_their_own_codes() throws Exception {
    String a = "http://127.0.0.1:" + Ports.free();
    String b = "http://127.0.0.1:" + Ports.free();
    CliRun.Result none = run(status(target(a, b), OutputFormat.Format.table));
    assertThat(none.code()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(none.err()).contains("no controller answered; tried " + a + ", " + b).contains("ConnectException");

    CliRun.Result unauthorized = run(status(target(controller(401, "{\"error\":\"unknown token\"}")),
        OutputFormat.Format.table));
    assertThat(unauthorized.code()).isEqualTo(ExitCodes.AUTH);
    assertThat(unauthorized.err()).contains("unauthorized (HTTP 401)").contains("set PHAROS_TOKEN");

    CliRun.Result forbidden = run(regions(target(controller(403, "{\"error\":\"token 'bob' is viewer; this call needs"
        + " operator\"}")), OutputFormat.Format.table));
    assertThat(forbidden.code()).isEqualTo(ExitCodes.AUTH);
    assertThat(forbidden.err()).contains("forbidden (HTTP 403): token 'bob' is viewer; this call needs operator")
        .contains("pharos tokens create --role");

    ControllerTarget.Answer conflict = new ControllerTarget.Answer("http://c2", 409, MAPPER.readTree(
        "{\"error\":\"controller c2 is not the acting leader\",\"leader\":\"c3\",\"leaderApi\":\"https://c3:8443\"}"));
    assertThat(ControllerTarget.explain(conflict)).contains("the acting leader is c3 at https://c3:8443");
    assertThat(ExitCodes.of(conflict)).isEqualTo(ExitCodes.CONFLICT);
  }

  @Test
  void without_a_token_nothing_is_sent_and_the_variable_is_named() {
    CliRun.Result r = CliRun.run("regions", "--api", "http://127.0.0.1:" + Ports.free());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("set PHAROS_TOKEN");
    assertThat(CliRun.run("status", "-o", "yaml", "--api", "http://127.0.0.1:1").err()).contains("table, json");
  }
}
