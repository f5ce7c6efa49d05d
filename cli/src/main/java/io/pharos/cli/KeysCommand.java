package io.pharos.cli;

import io.pharos.cli.operator.KeysRotateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pharos keys}: the keys agents and controllers use (docs/security/reports.md). */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Report keys: derive a region's key from the master secret, rotate a region's key.",
    subcommands = {KeysDeriveCommand.class, KeysRotateCommand.class})
final class KeysCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
