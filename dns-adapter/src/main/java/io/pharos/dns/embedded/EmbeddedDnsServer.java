package io.pharos.dns.embedded;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.ZoneState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * is pure computation over in-memory state and never blocks. UDP is served on Netty channels of
 * those event loops ({@link UdpChannels}: answers go to the sender's address as received, a read's
 * answers in one flush); with Vert.x's native transport (epoll), by one socket per core on the same
 * port ({@code SO_REUSEPORT}: the kernel spreads clients over them, and only a process of the same
 * user can join), each on its own event loop; without it, by one socket. Start and stop return
 * futures; stop is idempotent.
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
  private volatile UdpChannels udp;
  private volatile NetServer tcp;
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
    UdpChannels channels = udp;
    return channels == null ? -1 : channels.port();
  }

  /** The bound TCP port (useful with port 0); -1 before start succeeded. */
  public int tcpPort() {
    NetServer server = tcp;
    return server == null ? -1 : server.actualPort();
  }

  /** UDP sockets serving the port now (more than one only with the native transport). */
  public int udpSockets() {
    UdpChannels channels = udp;
    return channels == null ? 0 : channels.open();
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
    int sockets = udpSocketsToBind();
    return vertx.executeBlocking(() -> udpAddress(settings.udp(), sockets > 1))
        .compose(address -> UdpChannels.bind(vertx, address, sockets, this::answerUdp, counters))
        .recover(error -> Future.failedFuture(new IllegalStateException("cannot listen for DNS over UDP on "
            + settings.udp() + ": " + error.getMessage() + "; free the port or choose another one", error)))
        .compose(channels -> {
          HostPort tcpAt = settings.tcp().orElse(new HostPort(settings.udp().host(), channels.port()));
          return bindTcp(tcpAt).<Void>compose(server -> {
            udp = channels;
            tcp = server;
            return Future.succeededFuture();
          }, error -> {
            Future<Void> closed = channels.close();
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
   * Where to bind UDP. For several sockets on one port ({@code SO_REUSEPORT}), the port is first
   * found by a plain bind of {@code at}: the configured port when no socket holds it, or a free
   * one for port 0. SO_REUSEPORT alone would let this server join a port another process of the
   * same user already serves with it (a second controller configured with the same port) and split
   * the queries with it, and a port-0 bind with it may be handed such a port; a plain bind refuses
   * both, as binding without SO_REUSEPORT always did. (Two servers binding the same port in the
   * same instant can still both pass.) Blocking: it may look the host up.
   */
  private static InetSocketAddress udpAddress(HostPort at, boolean reusePort) throws java.io.IOException {
    InetAddress host = InetAddress.getByName(at.host());
    if (!reusePort) {
      return new InetSocketAddress(host, at.port());
    }
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(host, at.port()));
      return new InetSocketAddress(host, probe.getLocalPort());
    }
  }

  /**
   * UDP sockets to serve the port with: one per core with the native transport (only it gives
   * SO_REUSEPORT), else one. Measured (docs/benchmarks.md, "Embedded DNS server"): one event loop
   * answering every query was saturated at a third of BIND's queries/s while BIND used more than
   * a core.
   */
  private int udpSocketsToBind() {
    return vertx.isNativeTransportEnabled() ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1;
  }

  private Future<NetServer> bindTcp(HostPort at) {
    NetServer server = vertx.createNetServer(new NetServerOptions()
        .setIdleTimeout((int) settings.limits().tcp().idleTimeout().toMillis())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));
    server.connectHandler(this::serveTcp);
    server.exceptionHandler(e -> LOG.debug("TCP connection error on {}", at, e));
    return server.listen(at.port(), at.host());
  }

  /** The answer to one UDP query from {@code client}, or null to send nothing (counted). */
  private byte[] answerUdp(byte[] query, InetAddress client) {
    return switch (limiter.decide(client)) {
      case ANSWER -> responder.respond(query, Transport.UDP);
      case SLIP -> responder.truncatedOnly(query);
      case DROP -> {
        counters.query(Transport.UDP);
        counters.rateLimited();
        yield null;
      }
    };
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
    UdpChannels channels = udp;
    NetServer server = tcp;
    if (channels != null) {
      closing.add(channels.close());
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
