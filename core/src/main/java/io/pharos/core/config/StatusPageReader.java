package io.pharos.core.config;

import io.pharos.core.yaml.YamlNode;
import java.time.Duration;
import java.util.Set;

/** Reads and checks the {@code statusPage} section. */
final class StatusPageReader {
  private static final Set<String> KNOWN = Set.of("title", "retention", "public");

  private StatusPageReader() {}

  static StatusPageConfig read(YamlNode section) {
    StatusPageConfig d = StatusPageConfig.defaults();
    YamlNode s = section.mapping(KNOWN);
    String title = s.get("title").text(d.title());
    if (title.isBlank() || title.length() > 120) {
      s.problem("title", "the title must be 1 to 120 characters, was " + title.length());
      title = d.title();
    }
    Duration retention = ConfigLoader.duration(s.get("retention"), d.retention());
    if (retention.compareTo(StatusPageConfig.MAX_RETENTION) > 0) {
      s.problem("retention", "at most " + Durations.format(StatusPageConfig.MAX_RETENTION) + " of history is kept in"
          + " the journal, was " + Durations.format(retention));
      retention = d.retention();
    }
    boolean open = s.get("public").bool(d.publicPage());
    return new StatusPageConfig(title, retention, open);
  }
}
