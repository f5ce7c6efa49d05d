package io.pharos.cli.operator;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command made of sub-commands ({@code pharos tokens}, {@code audit}, {@code breakglass}): alone, it prints its usage. */
abstract class CommandGroup implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
