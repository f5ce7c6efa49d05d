package io.pharos.cli.operator;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pharos regions}: one line per region. */
@Command(name = "regions", mixinStandardHelpOptions = true,
    description = "List the regions: verdict (health state, '(out)' when failed over), mode, DNS weight, agents"
        + " heard (live/known) and the last change. -o json prints the status API's 'regions' object. Needs a"
        + " viewer token (PHAROS_TOKEN). Exit codes as for `pharos status`.")
public final class RegionsCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Mixin
  OutputFormat output;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    ControllerTarget.Answer a = StatusCommand.fetch(target);
    if (a.status() != 200) {
      return ExitCodes.of(a);
    }
    if (output.json()) {
      System.out.println(StatusCommand.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValueAsString(StatusCommand.regions(a.body())));
    } else {
      System.out.print(StatusTable.regions(a.body(), clock.instant()));
    }
    return ExitCodes.OK;
  }
}
