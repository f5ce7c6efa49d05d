package io.pharos.cli;

import io.pharos.cli.operator.AbortCommand;
import io.pharos.cli.operator.AckCommand;
import io.pharos.cli.operator.ControllersCommand;
import io.pharos.cli.operator.EvacuateCommand;
import io.pharos.cli.operator.FailbackCommand;
import io.pharos.cli.operator.FailoverCommand;
import io.pharos.cli.operator.PauseCommand;
import io.pharos.cli.operator.ResumeCommand;
import io.pharos.testkit.proc.ProcessGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pharos} command. */
@Command(name = "pharos", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Distributed health monitor and regional failover controller.",
    subcommands = {DemoCommand.class, DrillCommand.class, ControllerCommand.class, AgentCommand.class, AppCommand.class,
        AckCommand.class, PauseCommand.class, ResumeCommand.class, FailoverCommand.class, FailbackCommand.class,
        EvacuateCommand.class, AbortCommand.class, ControllersCommand.class,
        DnsCommand.class, ChaosCommand.class, BenchCommand.class, BenchLeaderCommand.class, BenchCrashCommand.class,
        CommandLine.HelpCommand.class})
public final class Pharos implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    ProcessGroup.exitWithParent();
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Pharos());
    cl.setCaseInsensitiveEnumValuesAllowed(true); // --mode kill as the help text spells it
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("pharos: " + ex.getMessage());
      return ex instanceof io.pharos.core.config.ConfigException || ex instanceof IllegalArgumentException ? 2 : 1;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
