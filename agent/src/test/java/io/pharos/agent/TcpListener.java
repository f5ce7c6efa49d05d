package io.pharos.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP probe target on 127.0.0.1 that accepts and closes every connection. */
public final class TcpListener implements AutoCloseable {
  private final ServerSocket socket;

  public TcpListener() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          s.setSoLinger(false, 0);
        } catch (IOException e) {
          // closed
        }
      }
    }, "test-tcp-listener");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
