package io.pharos.core.config;

import io.pharos.core.yaml.YamlNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks the {@code webhooks} section. */
final class WebhooksReader {
  static final Set<String> KNOWN = Set.of("receivers", "attempts", "backoff", "maxBackoff", "timeout");
  private static final Set<String> RECEIVER = Set.of("name", "url", "secretEnv", "secretFile");

  private WebhooksReader() {}

  static WebhooksConfig read(YamlNode section) {
    if (!section.isPresent()) {
      return WebhooksConfig.none();
    }
    YamlNode w = section.mapping(KNOWN);
    List<WebhooksConfig.Receiver> receivers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode r : w.get("receivers").items()) {
      YamlNode m = r.mapping(RECEIVER);
      String name = m.get("name").text();
      if (name == null || !ConfigLoader.ID.matcher(name).matches()) {
        m.problem("name", "required: letters, digits, '.', '_' or '-' (used in logs and metrics)");
        continue;
      }
      if (!names.add(name)) {
        m.problem("name", "receiver '" + name + "' is configured twice");
      }
      URI url = ConfigLoader.optionalUrl(m, "url");
      if (url == null && !m.has("url")) {
        m.problem("url", "required: where mode changes are POSTed (http or https)");
      }
      String env = m.get("secretEnv").text();
      String file = m.get("secretFile").text();
      if ((env == null) == (file == null)) {
        m.problem("give exactly one of secretEnv (an environment variable) or secretFile (a file) holding the"
            + " receiver's own HMAC secret");
      }
      if (url != null) {
        receivers.add(new WebhooksConfig.Receiver(name, url, env, file));
      }
    }
    int attempts = w.get("attempts").integer(WebhooksConfig.DEFAULT_ATTEMPTS, 1, 50);
    Duration backoff = ConfigLoader.duration(w.get("backoff"), WebhooksConfig.DEFAULT_BACKOFF);
    Duration maxBackoff = ConfigLoader.duration(w.get("maxBackoff"), WebhooksConfig.DEFAULT_MAX_BACKOFF);
    if (maxBackoff.compareTo(backoff) < 0) {
      w.problem("maxBackoff", "must not be shorter than webhooks.backoff (" + Durations.format(backoff) + ")");
    }
    Duration timeout = ConfigLoader.duration(w.get("timeout"), WebhooksConfig.DEFAULT_TIMEOUT);
    return new WebhooksConfig(receivers, attempts, backoff, maxBackoff, timeout);
  }
}
