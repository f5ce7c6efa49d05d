package io.pharos.controller.webhook;

import io.pharos.core.config.WebhooksConfig;
import io.pharos.core.wire.WebhookSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads each receiver's own secret where the config says (an environment variable or a file), at
 * controller start: a missing or short secret stops the start naming the receiver and where it
 * looked, never the secret.
 */
public final class WebhookSecrets {
  private WebhookSecrets() {}

  /** Receiver name to its secret bytes (the text, trimmed, as UTF-8). */
  public static Map<String, byte[]> read(WebhooksConfig config, Map<String, String> env) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (WebhooksConfig.Receiver r : config.receivers()) {
      String where;
      String text;
      if (r.secretEnv() != null) {
        where = "environment variable " + r.secretEnv();
        text = env.get(r.secretEnv());
      } else {
        where = "file " + r.secretFile();
        try {
          text = Files.readString(Path.of(r.secretFile()), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalArgumentException("webhook receiver '" + r.name() + "': cannot read its secret from " + where
              + ": " + e.getClass().getSimpleName());
        }
      }
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("webhook receiver '" + r.name() + "': no secret in " + where
            + " (webhooks.receivers[].secretEnv or secretFile)");
      }
      byte[] secret = text.strip().getBytes(StandardCharsets.UTF_8);
      if (secret.length < WebhookSignature.MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("webhook receiver '" + r.name() + "': the secret in " + where + " is "
            + secret.length + " bytes; use at least " + WebhookSignature.MIN_SECRET_BYTES + " random bytes (e.g."
            + " `openssl rand -hex 32`)");
      }
      out.put(r.name(), secret);
    }
    return out;
  }
}
