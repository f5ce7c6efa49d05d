package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;

/** {@code pharos regions}: one line per region. */
@Command(name = "regions", mixinStandardHelpOptions = true,
    description = "List the regions: verdict (health state, '(out)' when failed over), mode, DNS weight, agents"
        + " heard (live/known) and the last change. -o json prints the status API's 'regions' object. Needs a"
        + " viewer token (PHAROS_TOKEN). Exit codes as for `pharos status`.")
public final class RegionsCommand extends StatusView {
  @Override
  JsonNode json(JsonNode status) {
    return status.path("regions");
  }

  @Override
  String table(ControllerTarget.Answer a, Instant now) {
    return StatusTable.regions(a.body(), now);
  }
}
