package io.pharos.agent.probe;

import io.pharos.core.model.FailureKind;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what Netty and Vert.x throw to the wire's failure kinds. */
public final class FailureClassifier {
  private static final int MAX_CAUSE_DEPTH = 8;

  private FailureClassifier() {}

  public static FailureKind classify(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
      FailureKind kind = classifyOne(t);
      if (kind != null) {
        return kind;
      }
    }
    return FailureKind.OTHER;
  }

  private static FailureKind classifyOne(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    // Netty's ConnectTimeoutException extends ConnectException: test for timeouts first.
    if (t instanceof TimeoutException || t instanceof SocketTimeoutException
        || t.getClass().getSimpleName().contains("Timeout")) {
      return FailureKind.TIMEOUT;
    }
    if (t instanceof SSLException) {
      return FailureKind.TLS;
    }
    if (t instanceof UnknownHostException) {
      return FailureKind.DNS;
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
      return message.contains("refused") ? FailureKind.REFUSED : FailureKind.OTHER;
    }
    if (t instanceof HttpClosedException || t instanceof ClosedChannelException
        || message.contains("connection reset") || message.contains("broken pipe")) {
      return FailureKind.RESET;
    }
    return null;
  }
}
