package io.pharos.cli;

import io.pharos.cli.operator.AbortCommand;
import io.pharos.cli.operator.AckCommand;
import io.pharos.cli.operator.ApproveCommand;
import io.pharos.cli.operator.AuditCommand;
import io.pharos.cli.operator.BreakglassCommand;
import io.pharos.cli.operator.ControllersCommand;
import io.pharos.cli.operator.EvacuateCommand;
import io.pharos.cli.operator.FailbackCommand;
import io.pharos.cli.operator.FailoverCommand;
import io.pharos.cli.operator.IncidentsCommand;
import io.pharos.cli.operator.MaintenanceCommand;
import io.pharos.cli.operator.PauseCommand;
import io.pharos.cli.operator.PromoteCommand;
import io.pharos.cli.operator.ReadonlyCommand;
import io.pharos.cli.operator.RegionsCommand;
import io.pharos.cli.operator.RejectCommand;
import io.pharos.cli.operator.ResumeCommand;
import io.pharos.cli.operator.StatusCommand;
import io.pharos.cli.operator.TokensCommand;
import io.pharos.testkit.proc.ProcessGroup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pharos} command. */
@Command(name = "pharos", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Distributed health monitor and regional failover controller.",
    subcommands = {DemoCommand.class, DrillCommand.class, ControllerCommand.class, AgentCommand.class, AppCommand.class,
        AckCommand.class, PauseCommand.class, ResumeCommand.class, FailoverCommand.class, FailbackCommand.class,
        EvacuateCommand.class, AbortCommand.class, ApproveCommand.class, RejectCommand.class, ControllersCommand.class,
        TokensCommand.class, AuditCommand.class, BreakglassCommand.class,
        DnsCommand.class, KeysCommand.class, ChaosCommand.class, BenchCommand.class, BenchLeaderCommand.class,
        BenchCutCommand.class, BenchCrashCommand.class, ReadonlyCommand.class, PromoteCommand.class,
        StatusCommand.class, RegionsCommand.class,
        IncidentsCommand.class, MaintenanceCommand.class,
        BenchAgentCommand.class, BenchIngestCommand.class, BenchTrioCommand.class, BenchFleetCommand.class,
        BenchFleetDriverCommand.class,
        CommandLine.HelpCommand.class})
public final class Pharos implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // SLF4J sets itself up on first use. Done here, while this is the only thread: when the demo's
    // drill first logged, its DNS watchers (dnsjava logs through SLF4J) were logging at the same
    // time, and SLF4J queued their calls and replayed them with three SLF4J(W) lines on stderr
    LoggerFactory.getILoggerFactory();
    ProcessGroup.exitWithParent();
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cl = args.length > 0 && "agent".equals(args[0]) ? agentOnly() : new CommandLine(new Pharos());
    cl.setCaseInsensitiveEnumValuesAllowed(true); // --mode kill as the help text spells it
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("pharos: " + ex.getMessage());
      return ex instanceof io.pharos.core.config.ConfigException || ex instanceof IllegalArgumentException ? 2 : 1;
    });
    cl.setParameterExceptionHandler(Pharos::badArguments);
    // picocli lets --help win over an argument it does not know (`pharos nosuch --help` printed the
    // top-level help and exited 0): refuse unknown arguments first, whatever else is on the line
    cl.setExecutionStrategy(parsed -> {
      for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
        if (!p.unmatched().isEmpty()) {
          throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
        }
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cl.execute(args);
  }

  /**
   * {@code pharos agent} with no other subcommand: picocli builds the model of every subcommand it is given,
   * and with it loads their classes and the types of their fields (the operator client, the drill runner...),
   * which the agent, run on every node, would keep in memory for nothing
   * (docs/benchmarks.md, "Agent memory and CPU").
   */
  private static CommandLine agentOnly() {
    CommandLine cl = new CommandLine(new AgentOnly());
    cl.addSubcommand(new AgentCommand());
    return cl;
  }

  /** The top of {@code pharos agent}'s command line. */
  @Command(name = "pharos", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Distributed health monitor and regional failover controller.")
  static final class AgentOnly implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  /** Bad command line: an unknown (sub)command is named as such, with suggestions; exit 2. */
  private static int badArguments(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      err.println(name + ": unknown command '" + u.getUnmatched().get(0) + "'");
      u.printSuggestions(err);
    } else {
      err.println(name + ": " + ex.getMessage());
      if (ex instanceof CommandLine.UnmatchedArgumentException u) {
        u.printSuggestions(err);
      }
    }
    err.println("Run '" + name + " --help' for usage.");
    err.flush();
    return 2;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
