package io.pharos.dns.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for servers the tests start. */
public final class FreePorts {
  private FreePorts() {}

  /** A port free for both TCP and UDP on 127.0.0.1 at the time of the call. */
  public static int tcpAndUdp() {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // the UDP side is in use; try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1");
  }

  /** A free TCP port on 127.0.0.1. */
  public static int tcp() {
    try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return tcp.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Finds an executable on PATH (or in the given extra directories); null when absent. */
  public static String executable(String name, String... extraDirs) {
    String path = System.getenv().getOrDefault("PATH", "");
    java.util.List<String> dirs = new java.util.ArrayList<>(java.util.List.of(path.split(java.io.File.pathSeparator)));
    dirs.addAll(java.util.List.of(extraDirs));
    for (String dir : dirs) {
      java.io.File f = new java.io.File(dir, name);
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** Stops a process and everything it started (pyenv shims start a child), waiting for both. */
  public static void stop(Process p) {
    if (p == null) {
      return;
    }
    java.util.List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
      for (ProcessHandle c : children) {
        c.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
