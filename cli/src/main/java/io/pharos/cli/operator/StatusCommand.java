package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pharos status}: what the controllers see and do, from the first controller that answers. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the controllers' view: leader and term, DNS provider, what is in flight or waiting for"
        + " approval, findings, and one line per region (verdict, mode, weight, agents, last change). Needs a"
        + " viewer token (PHAROS_TOKEN). Exit codes: 0 ok, 2 bad usage, 3 no controller answered, 4 token refused"
        + " (401/403), 1 any other error.")
public final class StatusCommand implements Callable<Integer> {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @Mixin
  ControllerTarget target;

  @Mixin
  OutputFormat output;

  /** The clock "last change ... ago" is measured against (tests set it). */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    ControllerTarget.Answer a = fetch(target);
    if (a.status() != 200) {
      return ExitCodes.of(a);
    }
    if (output.json()) {
      System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(a.body()));
    } else {
      System.out.print(StatusTable.summary(a.body(), a.url()));
      System.out.println();
      System.out.print(StatusTable.regions(a.body(), clock.instant()));
    }
    return ExitCodes.OK;
  }

  /** {@code GET /v1/status} from the first controller that answers; an error is explained on stderr. */
  static ControllerTarget.Answer fetch(ControllerTarget target) {
    target.token();
    ControllerTarget.Answer a = target.getAny("/v1/status");
    if (!a.unreachable().isEmpty() && a.status() != 0) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() != 200) {
      System.err.println("pharos: status failed: " + ControllerTarget.explain(a));
    }
    return a;
  }

  /** The regions part, for {@code pharos regions -o json}. */
  static JsonNode regions(JsonNode status) {
    return status.path("regions");
  }
}
