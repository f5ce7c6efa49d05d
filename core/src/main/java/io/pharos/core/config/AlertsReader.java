package io.pharos.core.config;

import io.pharos.core.config.AlertsConfig.Receiver;
import io.pharos.core.config.AlertsConfig.ReceiverType;
import io.pharos.core.config.AlertsConfig.Secret;
import io.pharos.core.config.AlertsConfig.Severity;
import io.pharos.core.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code alerts} section (docs/alerts.md). */
final class AlertsReader {
  private static final Set<String> KNOWN = Set.of("receivers", "maxAge", "retry", "timeout", "failingAfter",
      "controlPlaneHold");
  private static final Set<String> RETRY = Set.of("attempts", "initialBackoff", "maxBackoff");
  private static final Set<String> RECEIVER = Set.of("name", "type", "url", "urlEnv", "urlFile", "routingKeyEnv",
      "routingKeyFile", "severities");
  /** Severities a receiver takes when it does not say. */
  static final Map<ReceiverType, Set<Severity>> DEFAULT_SEVERITIES = Map.of(
      ReceiverType.PAGERDUTY, EnumSet.of(Severity.CRITICAL),
      ReceiverType.SLACK, EnumSet.of(Severity.WARNING, Severity.CRITICAL),
      ReceiverType.ALERTMANAGER, EnumSet.allOf(Severity.class));

  private AlertsReader() {}

  static AlertsConfig read(YamlNode section, Map<String, String> env) {
    AlertsConfig d = AlertsConfig.defaults();
    YamlNode a = section.mapping(KNOWN);
    List<Receiver> receivers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode item : a.get("receivers").items()) {
      Receiver r = receiver(item.mapping(RECEIVER), env);
      if (r != null && !names.add(r.name())) {
        item.problem("name", "receiver '" + r.name() + "' is defined twice");
      } else if (r != null) {
        receivers.add(r);
      }
    }
    YamlNode retry = a.get("retry").mapping(RETRY);
    int attempts = retry.get("attempts").integer(d.attempts(), 1, 20);
    Duration initial = ConfigLoader.duration(retry.get("initialBackoff"), d.initialBackoff());
    Duration max = ConfigLoader.duration(retry.get("maxBackoff"), d.maxBackoff());
    if (max.compareTo(initial) < 0) {
      retry.problem("maxBackoff", "must not be shorter than initialBackoff (" + Durations.format(initial) + "), was "
          + Durations.format(max));
    }
    return new AlertsConfig(receivers, ConfigLoader.duration(a.get("maxAge"), d.maxAge()), attempts, initial, max,
        ConfigLoader.duration(a.get("timeout"), d.timeout()), a.get("failingAfter").integer(d.failingAfter(), 1, 100),
        a.get("controlPlaneHold").value(Durations::parse, d.controlPlaneHold()));
  }

  private static Receiver receiver(YamlNode r, Map<String, String> env) {
    String name = r.get("name").required("is required").text();
    if (name != null && !ConfigLoader.NAME.matcher(name).matches()) {
      r.problem("name", "'" + name + "' is not a valid receiver name (lower-case letters, digits and '-')");
      name = null;
    }
    ReceiverType type = r.get("type").required("is required (slack, pagerduty or alertmanager)")
        .enumValue(ReceiverType.class, null);
    Set<Severity> severities = EnumSet.noneOf(Severity.class);
    for (String s : r.get("severities").texts()) {
      try {
        severities.add(Severity.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        r.problem("severities", "'" + s + "' is not a severity (info, warning or critical)");
      }
    }
    if (type == null || name == null) {
      return null;
    }
    if (!r.has("severities")) {
      severities = DEFAULT_SEVERITIES.get(type);
    } else if (severities.isEmpty()) {
      r.problem("severities", "must name at least one severity (info, warning or critical)");
    }
    String url = url(r.get("url"));
    Secret secret = null;
    switch (type) {
      case SLACK -> {
        for (String f : List.of("routingKeyEnv", "routingKeyFile")) {
          if (r.has(f)) {
            r.problem(f, "is for a pagerduty receiver; a slack receiver takes url, urlEnv or urlFile");
          }
        }
        secret = secret(r, "urlEnv", "urlFile", env);
        int given = (r.has("url") ? 1 : 0) + (r.has("urlEnv") || r.has("urlFile") ? 1 : 0);
        if (given != 1) {
          r.problem("a slack receiver needs exactly one of url, urlEnv or urlFile (the webhook URL is a secret:"
              + " prefer urlEnv or urlFile)");
        }
        if (secret != null && secret.value() != null) {
          try {
            checkUrl(secret.value());
          } catch (IllegalArgumentException e) {
            // never the value: it is the secret
            r.problem("urlEnv", "environment variable " + secret.env() + " holds no absolute http(s) URL");
          }
        }
      }
      case PAGERDUTY -> {
        for (String f : List.of("urlEnv", "urlFile")) {
          if (r.has(f)) {
            r.problem(f, "is for a slack receiver; a pagerduty receiver takes routingKeyEnv or routingKeyFile");
          }
        }
        url = url == null ? AlertsConfig.PAGERDUTY_EVENTS_URL : url;
        secret = secret(r, "routingKeyEnv", "routingKeyFile", env);
        if (secret == null && !r.has("routingKeyEnv")) {
          r.problem("a pagerduty receiver needs its integration's routing key: routingKeyEnv or routingKeyFile");
        }
      }
      case ALERTMANAGER -> {
        for (String f : List.of("urlEnv", "urlFile", "routingKeyEnv", "routingKeyFile")) {
          if (r.has(f)) {
            r.problem(f, "is not a field of an alertmanager receiver (it takes url)");
          }
        }
        if (url == null) {
          r.problem("url", "is required: Alertmanager's base URL (http://alertmanager:9093)");
        }
      }
      default -> throw new IllegalStateException(type.name());
    }
    return new Receiver(name, type, url, secret, severities);
  }

  /** The secret named by {@code envField} (read now) or {@code fileField} (read at start), or null. */
  private static Secret secret(YamlNode r, String envField, String fileField, Map<String, String> env) {
    String var = r.get(envField).text();
    String file = r.get(fileField).text();
    if (var != null && file != null) {
      r.problem(fileField, "give one of " + envField + " or " + fileField + ", not both");
      return null;
    }
    if (file != null) {
      if (file.isBlank()) {
        r.problem(fileField, "is empty");
        return null;
      }
      return new Secret(r.path() + "." + fileField, null, file, null);
    }
    if (var == null) {
      return null;
    }
    String value = env.get(var);
    if (value == null || value.isBlank()) {
      r.problem(envField, "environment variable " + var + " is not set");
      return null;
    }
    return new Secret(r.path() + "." + envField, var, null, value.strip());
  }

  private static String url(YamlNode n) {
    return n.value(s -> {
      checkUrl(s);
      return s.strip();
    }, null);
  }

  private static void checkUrl(String s) {
    try {
      URI u = new URI(s.strip());
      if (!u.isAbsolute() || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not an absolute http(s) URL");
    }
  }
}
