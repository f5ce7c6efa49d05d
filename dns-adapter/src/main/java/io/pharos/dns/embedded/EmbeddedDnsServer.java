package io.pharos.dns.embedded;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.ZoneState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authoritative DNS server for the steered zone, run by every controller. It answers from a
 * {@code Supplier<ZoneState>} that the controller feeds from committed Raft state (null while it is
 * not known to be current: answered SERVFAIL), so what it
 * serves is always a committed decision and every controller serves the same thing.
 *
 * <p>UDP and TCP (RFC 7766 two-byte length framing) are served on Vert.x event loops; answering
 * is pure computation over in-memory state and never blocks. With Vert.x's native transport
 * (epoll), UDP is served by one socket per core on the same port ({@code SO_REUSEPORT}: the kernel
 * spreads clients over them, and only a process of the same user can join), each on its own event
 * loop; without it, by one socket. Start and stop return futures; stop is idempotent.
 *
 * <p>Open to the internet, it limits what a client can take ({@code dns.server}): UDP answers per
 * client subnet ({@link ResponseRateLimiter}: over the rate, most are dropped and some go out
 * empty and truncated), at most {@code tcp.maxConnections} TCP connections (more are closed as
 * they come), each closed after {@code tcp.idleTimeout} without a query. ANY is answered minimally
 * and UDP answers stay within the advertised size ({@link QueryResponder}).
 */
public final class EmbeddedDnsServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDnsServer.class);
  /** Attempts to find a port free for both UDP and TCP when both ask for "any port". */
  private static final int SHARED_PORT_ATTEMPTS = 8;

  private final Vertx vertx;
  private final DnsConfig dns;
  private final DnsServerSettings settings;
  private final DnsServerCounters counters = new DnsServerCounters();
  private final QueryResponder responder;
  private final ResponseRateLimiter limiter;
  private final java.util.concurrent.atomic.AtomicInteger tcpOpen = new java.util.concurrent.atomic.AtomicInteger();
  // written once by the bind callback on an event loop, read by any thread
  private volatile DatagramSocket udp;
  private volatile NetServer tcp;
  // the further UDP sockets on the same port, one per event loop (a deployment of UdpListener)
  private volatile String udpSpread;
  private final java.util.concurrent.atomic.AtomicInteger udpSockets = new java.util.concurrent.atomic.AtomicInteger();
  private Future<Void> started;
  private Future<Void> stopped;

  /**
   * @throws IllegalArgumentException when the config and name servers do not make a valid zone
   *     (a record outside the zone, a CNAME at the apex, a name server named like a record)
   */
  public EmbeddedDnsServer(Vertx vertx, DnsConfig dns, Supplier<ZoneState> zone, DnsServerSettings settings) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.dns = Objects.requireNonNull(dns, "dns");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.responder = new QueryResponder(new ZoneLayout(dns, settings.nameServers()), zone, counters);
    this.limiter = new ResponseRateLimiter(settings.limits().rateLimit(), System::nanoTime);
  }

  /** Binds UDP and TCP; fails (with both closed) if either cannot be bound. Only once. */
  public synchronized Future<Void> start() {
    if (started != null) {
      return Future.failedFuture(new IllegalStateException("the embedded DNS server was already started"));
    }
    started = bind(SHARED_PORT_ATTEMPTS).onSuccess(v -> LOG.info("serving zone {} on udp {}:{} and tcp {}:{}",
        dns.zone(), settings.udp().host(), udpPort(), tcpHost(), tcpPort()));
    return started;
  }

  /** Closes both sockets. Safe to call at any time and more than once. */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      Future<Void> afterStart = started == null ? Future.succeededFuture() : started.otherwiseEmpty();
      stopped = afterStart.compose(v -> closeSockets());
    }
    return stopped;
  }

  /** The bound UDP port (useful with port 0); -1 before start succeeded. */
  public int udpPort() {
    DatagramSocket socket = udp;
    return socket == null ? -1 : socket.localAddress().port();
  }

  /** The bound TCP port (useful with port 0); -1 before start succeeded. */
  public int tcpPort() {
    NetServer server = tcp;
    return server == null ? -1 : server.actualPort();
  }

  /** UDP sockets serving the port now (more than one only with the native transport). */
  public int udpSockets() {
    return udpSockets.get();
  }

  /** TCP connections open now. */
  public int tcpConnections() {
    return tcpOpen.get();
  }

  /** Rendered answers kept for repeated queries now (bounded: {@link AnswerCache}). */
  int answersKept() {
    return responder.answersKept();
  }

  /** A copy of the counters now. */
  public DnsServerStats counters() {
    return counters.snapshot();
  }

  private Future<Void> bind(int attemptsLeft) {
    boolean sharedEphemeral = settings.tcp().isEmpty() && settings.udp().port() == 0;
    boolean spread = udpOnEveryCore();
    int udpPort = settings.udp().port();
    if (spread) {
      try {
        udpPort = freeUdpPort(settings.udp());
      } catch (java.io.IOException e) {
        return Future.failedFuture(new IllegalStateException("cannot listen for DNS over UDP on " + settings.udp()
            + ": " + e.getMessage() + "; free the port or choose another one", e));
      }
    }
    return listenUdp(udpPort, spread).compose(socket -> {
      HostPort tcpAt = settings.tcp().orElse(new HostPort(settings.udp().host(), socket.localAddress().port()));
      return bindTcp(tcpAt).compose(server -> {
        udp = socket;
        tcp = server;
        udpSockets.incrementAndGet();
        return spread ? spreadUdp(socket.localAddress().port()) : Future.<Void>succeededFuture();
      }, error -> {
        Future<Void> closed = socket.close();
        if (sharedEphemeral && attemptsLeft > 1) {
          // the free UDP port was taken for TCP by someone else; try another one
          return closed.compose(v -> bind(attemptsLeft - 1));
        }
        return closed.compose(v -> Future.failedFuture(new IllegalStateException("cannot listen for DNS over TCP on "
            + tcpAt + ": " + error.getMessage() + "; free the port or choose another one", error)));
      });
    });
  }

  /**
   * The port to bind the SO_REUSEPORT sockets to, found by a plain bind of {@code at}: the
   * configured port when no socket holds it, or a free one for port 0. SO_REUSEPORT alone would
   * let this server join a port another process of the same user already serves with it (a second
   * controller configured with the same port) and split the queries with it, and a port-0 bind with
   * it may be handed such a port; a plain bind refuses both, as binding without SO_REUSEPORT always
   * did. (Two servers binding the same port in the same instant can still both pass.)
   */
  private static int freeUdpPort(HostPort at) throws java.io.IOException {
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
      probe.setReuseAddress(false);
      probe.bind(new java.net.InetSocketAddress(at.host(), at.port()));
      return probe.getLocalPort();
    }
  }

  /** Whether UDP is served by a socket per core: only the native transport gives Vert.x SO_REUSEPORT. */
  private boolean udpOnEveryCore() {
    return vertx.isNativeTransportEnabled() && Runtime.getRuntime().availableProcessors() > 1;
  }

  /**
   * Binds one more UDP socket on {@code port} per further core, each on an event loop of its own.
   * Measured (docs/benchmarks.md, "Embedded DNS server"): one event loop answering every query
   * was saturated at a third of BIND's queries/s while BIND used more than a core. If they cannot
   * be bound, the first socket serves alone (logged).
   */
  private Future<Void> spreadUdp(int port) {
    int more = Runtime.getRuntime().availableProcessors() - 1;
    return vertx.deployVerticle(() -> new UdpListener(port), new DeploymentOptions().setInstances(more))
        .<Void>map(id -> {
          udpSpread = id;
          return null;
        }).recover(e -> {
          LOG.warn("DNS over UDP on {}:{} is served by one socket only: {}", settings.udp().host(), port,
              e.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<DatagramSocket> listenUdp(int port, boolean reusePort) {
    HostPort at = new HostPort(settings.udp().host(), port);
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReusePort(reusePort));
    socket.handler(packet -> answerUdp(socket, packet));
    socket.exceptionHandler(e -> LOG.warn("UDP socket error on {}", at, e));
    return socket.listen(at.port(), at.host()).recover(error -> Future.failedFuture(new IllegalStateException(
        "cannot listen for DNS over UDP on " + at + ": " + error.getMessage() + "; free the port or choose another one",
        error)));
  }

  /** A further UDP socket on the served port, on the event loop of its own deployment instance. */
  private final class UdpListener extends VerticleBase {
    private final int port;
    private DatagramSocket socket;

    UdpListener(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return listenUdp(port, true).onSuccess(s -> {
        socket = s;
        udpSockets.incrementAndGet();
      });
    }

    @Override
    public Future<?> stop() {
      return socket == null ? Future.succeededFuture() : socket.close().onComplete(r -> udpSockets.decrementAndGet());
    }
  }

  private Future<NetServer> bindTcp(HostPort at) {
    NetServer server = vertx.createNetServer(new NetServerOptions()
        .setIdleTimeout((int) settings.limits().tcp().idleTimeout().toMillis())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));
    server.connectHandler(this::serveTcp);
    server.exceptionHandler(e -> LOG.debug("TCP connection error on {}", at, e));
    return server.listen(at.port(), at.host());
  }

  private void answerUdp(DatagramSocket socket, DatagramPacket packet) {
    byte[] reply = switch (limiter.decide(clientAddress(packet))) {
      case ANSWER -> responder.respond(packet.data().getBytes(), Transport.UDP);
      case SLIP -> responder.truncatedOnly(packet.data().getBytes());
      case DROP -> {
        counters.query(Transport.UDP);
        counters.rateLimited();
        yield null;
      }
    };
    if (reply != null) {
      socket.send(Buffer.buffer(reply), packet.sender().port(), packet.sender().host()).onFailure(e -> {
        counters.sendFailed();
        LOG.warn("could not send a DNS answer to {}", packet.sender(), e);
      });
    }
  }

  /** The sender's address; the host is always an address literal, so this never looks a name up. */
  private static java.net.InetAddress clientAddress(DatagramPacket packet) {
    String host = packet.sender().hostAddress();
    try {
      byte[] v4 = ipv4(host);
      // measured: InetAddress.getByName was a tenth of the event loop's time under dnsperf
      return v4 != null ? java.net.InetAddress.getByAddress(v4) : java.net.InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("a datagram's sender is not an address: " + packet.sender(), e);
    }
  }

  /** The four bytes of a dotted-quad IPv4 literal, or null when {@code s} is not one. */
  static byte[] ipv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else if (c == '.' && value >= 0 && part < 3) {
        out[part++] = (byte) value;
        value = -1;
      } else {
        return null;
      }
    }
    if (part != 3 || value < 0) {
      return null;
    }
    out[3] = (byte) value;
    return out;
  }

  /** Two-byte length, then the message; several queries may follow on one connection. */
  private void serveTcp(NetSocket socket) {
    if (tcpOpen.incrementAndGet() > settings.limits().tcp().maxConnections()) {
      tcpOpen.decrementAndGet();
      counters.tcpRefused();
      socket.close();
      return;
    }
    socket.closeHandler(v -> tcpOpen.decrementAndGet());
    RecordParser parser = RecordParser.newFixed(2);
    boolean[] readingLength = {true};
    parser.handler(chunk -> {
      if (readingLength[0]) {
        int length = chunk.getUnsignedShort(0);
        if (length == 0) {
          counters.query(Transport.TCP);
          counters.droppedMalformed();
          socket.close();
          return;
        }
        readingLength[0] = false;
        parser.fixedSizeMode(length);
        return;
      }
      readingLength[0] = true;
      parser.fixedSizeMode(2);
      byte[] reply = responder.respond(chunk.getBytes(), Transport.TCP);
      if (reply == null) {
        return;
      }
      socket.write(Buffer.buffer(reply.length + 2).appendUnsignedShort(reply.length).appendBytes(reply))
          .onFailure(e -> counters.sendFailed());
      if (socket.writeQueueFull()) {
        socket.pause();
        socket.drainHandler(v -> socket.resume());
      }
    });
    socket.handler(parser);
    socket.exceptionHandler(e -> LOG.debug("DNS over TCP connection from {} failed", socket.remoteAddress(), e));
  }

  private Future<Void> closeSockets() {
    List<Future<Void>> closing = new ArrayList<>();
    DatagramSocket socket = udp;
    NetServer server = tcp;
    String spread = udpSpread;
    if (spread != null) {
      closing.add(vertx.undeploy(spread));
    }
    if (socket != null) {
      closing.add(socket.close().onComplete(r -> udpSockets.decrementAndGet()));
    }
    if (server != null) {
      closing.add(server.close());
    }
    return Future.join(closing)
        .onFailure(e -> LOG.warn("closing the embedded DNS server for zone {} failed", dns.zone(), e))
        .mapEmpty();
  }

  private String tcpHost() {
    return settings.tcp().map(HostPort::host).orElse(settings.udp().host());
  }
}
