package io.pharos.cli.operator;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos maintenance}: announce planned work on the status page ahead, or call it off. */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
    description = "Announce maintenance on the status page ahead (its regions show Maintenance while it is open;"
        + " no traffic moves: use evacuate for that). Needs an operator token.",
    subcommands = {MaintenanceCommand.Schedule.class, MaintenanceCommand.Cancel.class})
public final class MaintenanceCommand extends CommandGroup {
  /** {@code pharos maintenance schedule}. */
  @Command(name = "schedule", mixinStandardHelpOptions = true, description = "Announce a maintenance window.")
  static final class Schedule implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = "--region", required = true, split = ",", description = "region(s) concerned")
    List<String> regions;

    @Option(names = "--from", required = true, description = "start, ISO-8601 (2026-12-24T22:00:00Z)")
    String from;

    @Option(names = "--to", required = true, description = "end, ISO-8601")
    String to;

    @Option(names = "--title", required = true, description = "what users read on the status page")
    String title;

    @Option(names = "--reason", required = true, description = "why (audit chain, timeline)")
    String reason;

    @Override
    public Integer call() {
      return ControllerTarget.report(target.postToLeader("/v1/maintenance", ControllerTarget.body("regions", regions,
          "startsAt", from, "endsAt", to, "title", title, "reason", reason)), "maintenance " + title);
    }
  }

  /** {@code pharos maintenance cancel <id>}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Call off an announced window.")
  static final class Cancel implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Parameters(index = "0", description = "window id (mw-..., on /status.json)")
    String id;

    @Option(names = "--reason", required = true, description = "why")
    String reason;

    @Override
    public Integer call() {
      if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
        System.err.println("pharos: '" + id + "' is not a maintenance window id");
        return 2;
      }
      return ControllerTarget.report(target.postToLeader("/v1/maintenance/" + id + "/cancel",
          ControllerTarget.body("reason", reason)), "cancel maintenance " + id);
    }
  }
}
