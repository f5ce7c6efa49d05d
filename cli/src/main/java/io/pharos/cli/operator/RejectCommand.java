package io.pharos.cli.operator;

import picocli.CommandLine.Command;

/** {@code pharos reject}: turns down a decision that waits for an operator. */
@Command(name = "reject", mixinStandardHelpOptions = true,
    description = "Reject a decision that waits for an operator: nothing changes, and the same regions are not"
        + " asked about again until their state changes.")
public final class RejectCommand extends DecisionCommand {
  @Override
  String action() {
    return "reject";
  }
}
