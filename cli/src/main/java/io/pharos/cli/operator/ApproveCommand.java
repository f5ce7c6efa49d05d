package io.pharos.cli.operator;

import picocli.CommandLine.Command;

/** {@code pharos approve}: carries out a decision that waits for an operator. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Approve a decision that waits for an operator (policy.mode approve, or evidence one vantage"
        + " short): it is carried out at once, as your decision. `pharos status` lists the waiting ones with their"
        + " evidence.")
public final class ApproveCommand extends DecisionCommand {
  @Override
  String action() {
    return "approve";
  }
}
