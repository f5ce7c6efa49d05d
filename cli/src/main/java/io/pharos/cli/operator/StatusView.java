package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that shows {@code GET /v1/status} from the first controller that answers: as a table
 * for people, or with {@code -o json} the part of the API's answer it is about, unchanged.
 */
abstract class StatusView implements Callable<Integer> {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @Mixin
  ControllerTarget target;

  @Mixin
  OutputFormat output;

  /** The clock "last change ... ago" is measured against (tests set it). */
  Clock clock = Clock.systemUTC();

  /** What {@code -o json} prints of the status. */
  abstract JsonNode json(JsonNode status);

  /** The table for people. */
  abstract String table(ControllerTarget.Answer status, Instant now);

  @Override
  public Integer call() throws Exception {
    target.token();
    ControllerTarget.Answer a = target.getAny("/v1/status");
    if (!a.unreachable().isEmpty() && a.status() != 0) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() != 200) {
      System.err.println("pharos: status failed: " + ControllerTarget.explain(a));
      return ExitCodes.of(a);
    }
    System.out.print(output.json() ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(a.body())) + "\n"
        : table(a, clock.instant()));
    return ExitCodes.OK;
  }
}
