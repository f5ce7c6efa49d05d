package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code pharos status}: what the controllers see and do, from the first controller that answers. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the controllers' view: leader and term, DNS provider, what is in flight or waiting for"
        + " approval, findings, and one line per region (verdict, mode, weight, agents, last change). Needs a"
        + " viewer token (PHAROS_TOKEN). Exit codes: 0 ok, 2 bad usage, 3 no controller answered, 4 token refused"
        + " (401/403), 1 any other error.")
public final class StatusCommand extends StatusView {
  @Override
  JsonNode json(JsonNode status) {
    return status;
  }

  @Override
  String table(ControllerTarget.Answer a, Instant now) {
    return StatusTable.summary(a.body(), a.url()) + "\n" + StatusTable.regions(a.body(), now);
  }
}
