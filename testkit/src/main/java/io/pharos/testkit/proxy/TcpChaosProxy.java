package io.pharos.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between any two components (tc netem is not available here): listens on one
 * address, forwards to an upstream, and applies {@link Toxics} switched at run time — latency
 * with jitter, a bandwidth limit, connection resets and a blackhole. Two threads per connection,
 * at most {@link #MAX_CONNECTIONS} connections; closing it closes every connection.
 */
public final class TcpChaosProxy implements AutoCloseable {
  public static final int MAX_CONNECTIONS = 256;
  private static final int CHUNK = 16 * 1024;

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final AtomicReference<Toxics> toxics = new AtomicReference<>(Toxics.NONE);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  public TcpChaosProxy(InetSocketAddress listen, InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen, 128);
    this.acceptor = new Thread(this::acceptLoop, "chaos-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  public TcpChaosProxy start() {
    acceptor.start();
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress upstream() {
    return upstream;
  }

  public void set(Toxics t) {
    toxics.set(t);
  }

  public void clear() {
    toxics.set(Toxics.NONE);
  }

  public Toxics toxics() {
    return toxics.get();
  }

  public long accepted() {
    return accepted.get();
  }

  public long resets() {
    return resets.get();
  }

  public long bytesForwarded() {
    return bytes.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      if (open.size() >= MAX_CONNECTIONS * 2) {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      Thread t = new Thread(() -> connect(client), "chaos-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void connect(Socket client) {
    Toxics t = toxics.get();
    if (t.blackhole()) {
      pump(client, null, new java.util.concurrent.atomic.AtomicInteger(1), null);
      return;
    }
    if (roll(t.resetRate())) {
      reset(client);
      return;
    }
    Socket up = new Socket();
    try {
      up.connect(upstream, 5_000);
    } catch (IOException e) {
      reset(client);
      closeQuietly(up);
      return;
    }
    open.add(up);
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(2);
    Thread back = new Thread(() -> pump(up, client, running, up), "chaos-proxy-down");
    back.setDaemon(true);
    back.start();
    pump(client, up, running, up);
  }

  /**
   * Copies from → to applying the toxics; {@code to == null} swallows everything (blackhole).
   * The last of a connection's two pumps to finish closes both sockets.
   */
  private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger running, Socket other) {
    byte[] buf = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to == null ? null : to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        Toxics t = toxics.get();
        if (t.blackhole() || out == null) {
          continue;
        }
        if (roll(t.resetRate())) {
          reset(from);
          reset(to);
          return;
        }
        delay(t);
        out.write(buf, 0, n);
        out.flush();
        bytes.addAndGet(n);
        if (t.bandwidthBytesPerSecond() > 0) {
          sleep(n * 1000L / t.bandwidthBytesPerSecond());
        }
      }
      if (to != null && !to.isClosed()) {
        to.shutdownOutput();
      }
    } catch (IOException e) {
      closeQuietly(from);
      if (to != null) {
        closeQuietly(to);
      }
    } finally {
      if (running.decrementAndGet() == 0) {
        closeQuietly(from);
        if (to != null) {
          closeQuietly(to);
        }
      }
    }
  }

  private void delay(Toxics t) {
    long ms = t.latency().toMillis();
    if (t.jitter().toMillis() > 0) {
      ms += ThreadLocalRandom.current().nextLong(t.jitter().toMillis() + 1);
    }
    if (ms > 0) {
      sleep(ms);
    }
  }

  private static boolean roll(double p) {
    return p > 0 && ThreadLocalRandom.current().nextDouble() < p;
  }

  private void reset(Socket s) {
    resets.incrementAndGet();
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    closeQuietly(s);
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
