package io.pharos.core.yaml;

/**
 * One thing wrong in a YAML document: the field path ({@code regions[1].endpoints[0].url}, empty
 * for the document itself), the 1-based source line (0 when unknown) and what is wrong.
 */
public record YamlProblem(String path, int line, String message) {
  /** {@code regions[1].endpoints[0].url (line 12): not an absolute http(s) URL}: the path first, then the line. */
  @Override
  public String toString() {
    String at = line > 0 ? "line " + line : "";
    if (path.isEmpty()) {
      return at.isEmpty() ? message : at + ": " + message;
    }
    return path + (at.isEmpty() ? "" : " (" + at + ")") + ": " + message;
  }
}
