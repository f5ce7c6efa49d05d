package io.pharos.cli.operator;

import picocli.CommandLine.Command;

/** {@code pharos abort}: gives up the decision in progress. */
@Command(name = "abort", mixinStandardHelpOptions = true,
    description = "Give up the decision in progress (e.g. a DNS change the provider keeps refusing), or abort an"
        + " evacuation by its id (ev-...).")
public final class AbortCommand extends DecisionCommand {
  @Override
  String action() {
    return "abort";
  }
}
