package io.pharos.core.yaml;

/** Text that is not one YAML document; the message names the line and column where reading stopped. */
public final class YamlSyntaxException extends IllegalArgumentException {
  private final int line;
  private final int column;

  YamlSyntaxException(int line, int column, String problem) {
    super((line > 0 ? "line " + line + ", column " + column + ": " : "") + "not valid YAML: " + problem);
    this.line = line;
    this.column = column;
  }

  /** 1-based; 0 when the parser gave no position. */
  public int line() {
    return line;
  }

  /** 1-based; 0 when the parser gave no position. */
  public int column() {
    return column;
  }
}
