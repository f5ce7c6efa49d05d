package io.pharos.chaos.observe;

import io.pharos.core.config.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Where the drill runner asks what DNS answers for the steered record: a name server (the
 * embedded provider's controllers, a deployment's name servers), or a provider's API that holds
 * the authoritative records (Route 53: the weighted record sets with a weight above 0).
 */
public interface AnswerSource {
  /** For reports and messages: {@code 10.77.0.4:5353} or {@code Route 53 API (moto ...)}. */
  String label();

  /** The addresses answered now; throws when the source does not answer. */
  Set<String> ask() throws IOException;

  /** How often a watcher may ask (a name server takes a query every 20 ms, an API less often). */
  Duration interval();

  /** A DNS question to one name server. */
  static AnswerSource dns(HostPort server, String name, String type) {
    return new AnswerSource() {
      @Override
      public String label() {
        return server.toString();
      }

      @Override
      public Set<String> ask() throws IOException {
        return DnsQuery.ask(server, name, type, Duration.ofMillis(300));
      }

      @Override
      public Duration interval() {
        return Duration.ofMillis(20);
      }
    };
  }
}
