package io.pharos.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.model.FailureKind;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  @Test
  void maps_network_errors_to_failure_kinds() {
    assertThat(FailureClassifier.classify(new ConnectException("Connection refused: /127.0.0.1:1")))
        .isEqualTo(FailureKind.REFUSED);
    assertThat(FailureClassifier.classify(new io.netty.channel.ConnectTimeoutException("connection timed out")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(FailureClassifier.classify(new TimeoutException("idle"))).isEqualTo(FailureKind.TIMEOUT);
    assertThat(FailureClassifier.classify(new RuntimeException(new SSLHandshakeException("bad cert"))))
        .isEqualTo(FailureKind.TLS);
    assertThat(FailureClassifier.classify(new UnknownHostException("nowhere"))).isEqualTo(FailureKind.DNS);
    assertThat(FailureClassifier.classify(new HttpClosedException("Connection was closed")))
        .isEqualTo(FailureKind.RESET);
    assertThat(FailureClassifier.classify(new IOException("Connection reset by peer"))).isEqualTo(FailureKind.RESET);
    assertThat(FailureClassifier.classify(new IllegalStateException("odd"))).isEqualTo(FailureKind.OTHER);
  }
}
