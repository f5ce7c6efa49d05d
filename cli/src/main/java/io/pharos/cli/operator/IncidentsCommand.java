package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos incidents}: the real failovers, failbacks and evacuations, and their reports. */
@Command(name = "incidents", mixinStandardHelpOptions = true,
    description = "Incidents (every real failover, failback and evacuation) and their reports, as the controllers"
        + " keep them for statusPage.retention. Needs a viewer token (PHAROS_TOKEN).",
    subcommands = {IncidentsCommand.ListIncidents.class, IncidentsCommand.Show.class})
public final class IncidentsCommand extends CommandGroup {
  /** {@code pharos incidents list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "The incidents, newest first.")
  static final class ListIncidents implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Option(names = {"-o", "--output"}, description = "table (default) or json")
    String output = "table";

    @Override
    public Integer call() {
      ControllerTarget.Answer a = fetch(target, "/v1/incidents");
      if (a == null) {
        return 1;
      }
      if ("json".equals(output)) {
        System.out.println(a.body().toPrettyString());
        return 0;
      }
      checkOutput(output, "table");
      String fmt = "%-44s %-11s %-10s %-12s %-24s %-24s %s%n";
      System.out.printf(fmt, "ID", "STATUS", "KIND", "REGIONS", "OPENED", "RESOLVED", "TITLE");
      for (JsonNode i : a.body().path("incidents")) {
        StringBuilder regions = new StringBuilder();
        i.path("regions").forEach(r -> regions.append(regions.length() == 0 ? "" : ",").append(r.asText()));
        System.out.printf(fmt, i.path("id").asText(), i.path("status").asText(), i.path("kind").asText(),
            regions, i.path("openedAt").asText(), i.path("resolvedAt").isNull() ? "-" : i.path("resolvedAt").asText(),
            i.path("title").asText());
      }
      if (a.body().path("incidents").isEmpty()) {
        System.out.println("(no incidents in the history)");
      }
      return 0;
    }
  }

  /** {@code pharos incidents show <id>}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "An incident's report, in the drill report's format: timeline, impact, RTO/RPO achieved, alerts"
          + " sent, who approved, action items to fill in.")
  static final class Show implements Callable<Integer> {
    @Mixin
    ControllerTarget target;

    @Parameters(index = "0", description = "incident id (pharos incidents list)")
    String id;

    @Option(names = {"-o", "--output"}, description = "md (Markdown, default), html or json")
    String output = "md";

    @Override
    public Integer call() {
      checkOutput(output, "md", "html", "json");
      if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
        System.err.println("pharos: '" + id + "' is not an incident id (pharos incidents list shows them)");
        return 2;
      }
      ControllerTarget.Answer a = fetch(target, "/v1/incidents/" + id + "?format=" + output);
      if (a == null) {
        return 1;
      }
      System.out.println("json".equals(output) ? a.body().toPrettyString() : a.body().path("text").asText());
      return 0;
    }
  }

  private static void checkOutput(String output, String... allowed) {
    for (String x : allowed) {
      if (x.equals(output)) {
        return;
      }
    }
    throw new IllegalArgumentException("-o must be one of " + String.join(", ", allowed) + ", was '" + output + "'");
  }

  private static ControllerTarget.Answer fetch(ControllerTarget target, String path) {
    ControllerTarget.Answer a = target.getAny(path);
    if (!a.unreachable().isEmpty()) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() != 200) {
      System.err.println("pharos: " + path + " failed: " + ControllerTarget.explain(a));
      return null;
    }
    return a;
  }
}
