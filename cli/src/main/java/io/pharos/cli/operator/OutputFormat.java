package io.pharos.cli.operator;

import picocli.CommandLine.Option;

/** {@code -o table|json}: a table for people (default) or the API's JSON for scripts. */
final class OutputFormat {
  enum Format { table, json }

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table (default) or json (the API's"
      + " answer, unchanged)")
  Format format;

  boolean json() {
    return format == Format.json;
  }
}
