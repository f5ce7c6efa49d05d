package io.pharos.cli.operator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Local HTTP endpoints that answer every call with one status and JSON body (what a controller said). */
final class JsonEndpoints implements AutoCloseable {
  private final List<HttpServer> servers = new ArrayList<>();

  /** Starts one; returns its base URL. */
  String answering(int status, String body) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    servers.clear();
  }
}
