package io.pharos.agent.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An endpoint that answers 200 with a large Content-Length and then trickles the body, one chunk
 * every {@code everyMs}, for as long as the client keeps the connection: what a wedged proxy or a
 * slow-loris backend looks like to a probe. It counts the connections it holds (one ends when a
 * write fails: the client closed or reset it) and the body bytes it managed to send.
 */
final class TricklingServer implements AutoCloseable {
  private final ServerSocket listener;
  private final long everyMs;
  private final int chunk;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean closed;

  /** Trickles {@code chunk} bytes every {@code everyMs} ms (0: as fast as the client reads). */
  TricklingServer(long everyMs, int chunk) throws IOException {
    this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
    this.everyMs = everyMs;
    this.chunk = chunk;
    Thread t = new Thread(this::acceptLoop, "trickling-server");
    t.setDaemon(true);
    t.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + listener.getLocalPort() + path;
  }

  /** Connections the server still holds (written to successfully last time). */
  int open() {
    return open.get();
  }

  int accepted() {
    return accepted.get();
  }

  /** Body bytes written to clients, over every connection. */
  long bodyBytesSent() {
    return sent.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        accepted.incrementAndGet();
        open.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "trickle-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int n;
      StringBuilder head = new StringBuilder();
      while (!head.toString().contains("\r\n\r\n") && (n = in.read(buf)) > 0) {
        head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] body = new byte[chunk];
      java.util.Arrays.fill(body, (byte) 'x');
      while (!closed) {
        out.write(body);
        out.flush();
        sent.addAndGet(body.length);
        if (everyMs > 0) {
          Thread.sleep(everyMs);
        }
      }
    } catch (IOException e) {
      // the client closed or reset the connection: what a probe should do at its deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
  }
}
