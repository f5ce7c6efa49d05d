package io.pharos.agent.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.pharos.agent.Ticker;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTP(S) GET probe: passes when the status equals {@code expect.status} and, if set, the body
 * contains {@code expect.body}. The latency is always reported; the latency budget is applied by
 * the controllers, so a slow but correct answer is ok here.
 *
 * <p>Each probe opens a new connection (no keep-alive): a probe should see what a new client sees,
 * including a listener that stopped accepting, not a pooled connection that still works.
 *
 * <p>Nothing outlives the probe's deadline: when the timeout fires, the result is TIMEOUT and the
 * connection is closed (an endpoint that trickles bytes would otherwise keep one connection per
 * probe open for as long as it trickles). The whole answer must arrive within the deadline. The
 * body is never buffered: it is scanned as it arrives for {@code expect.body}, and once {@value
 * #MAX_BODY_BYTES} bytes came without it, the probe fails (BODY); without {@code expect.body}, that
 * much of a body passes. The connection is closed as soon as the verdict is known, so a large body
 * is never read to its end.
 *
 * <p>A probe is one request on one new connection, never pooled, so it runs on Netty directly: a
 * channel on the caller's event loop with an HTTP/1.1 response decoder (and TLS for {@code https},
 * the JDK's trust store and the URL's host name verified), the request's bytes built once per URL,
 * and the deadline on the event loop's own scheduler. Vert.x's HTTP client did the same with a
 * connection pool, a request and response object and their futures around it: a third of the
 * agent's CPU per probe more (docs/benchmarks.md, "Agent memory and CPU").
 */
public final class HttpProbe implements Probe {
  /**
   * The most body a probe reads looking for {@code expect.body}: a health page is a few hundred
   * bytes; 64 KiB leaves room for a status page while 200 endpoints cannot keep more than a few
   * chunks of 8 KiB each in flight (the scan keeps only the text's length of the previous chunk).
   */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /**
   * Probes of one host in flight at once (connections are never reused). One more waits, in order of
   * arrival, for one of them to finish, and its timeout runs only from when it starts: time spent
   * waiting inside the agent must not report the endpoint as failing. A probe that waited longer than
   * its own timeout is not made at all: it is skipped ({@link ProbeSkipped}), and the scheduler tries
   * it again later. In arrival order, an agent with room for only part of its probes shares that room
   * out among its endpoints instead of starving the ones whose turn falls when the host is busy.
   */
  static final int MAX_CONNECTIONS_PER_HOST = 32;
  private final VertxInternal vertx;
  /** Where the TLS context comes from; it is made once, on a worker, when the first HTTPS probe comes. */
  private final Supplier<SslContext> tlsSource;
  private volatile SslContext tls;
  private Future<SslContext> tlsLoading; // guarded by this
  private final ProbeClock time;
  private final Ticker ticker;
  /** The transport's channels (epoll or NIO, as Vert.x's), Vert.x's name resolver, no Nagle. */
  private final Bootstrap bootstrap;
  /** Per URL: its request and its host (probes may be started off the context their results arrive on). */
  private final Map<URI, Request> requests = new ConcurrentHashMap<>();
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  /** Verifies servers' certificates against the JDK's trust store. */
  public HttpProbe(Vertx vertx, Clock clock, Ticker ticker) {
    this(vertx, HttpProbe::defaultTls, clock, ticker);
  }

  /** Verifies servers' certificates with {@code tls} (a client context). */
  public HttpProbe(Vertx vertx, SslContext tls, Clock clock, Ticker ticker) {
    this(vertx, () -> tls, clock, ticker);
  }

  private HttpProbe(Vertx vertx, Supplier<SslContext> tlsSource, Clock clock, Ticker ticker) {
    this.vertx = (VertxInternal) vertx;
    this.tlsSource = tlsSource;
    this.ticker = ticker;
    this.time = new ProbeClock(clock, ticker);
    this.bootstrap = new Bootstrap()
        .channelFactory(this.vertx.transport().channelFactory(false))
        .resolver(this.vertx.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.TCP_NODELAY, true);
  }

  /**
   * A client TLS context trusting what the JDK trusts. Reading the trust store takes tens of
   * milliseconds, and an agent that probes no HTTPS endpoint never needs it.
   */
  static SslContext defaultTls() {
    try {
      return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for HTTPS probes: " + e.getMessage(), e);
    }
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    return probe(target, Expectation::new);
  }

  /** Probes {@code target}, its answer judged by what {@code judges} makes of it. */
  Future<Observation> probe(ProbeTarget target, Judges judges) {
    Request request;
    try {
      request = requests.computeIfAbsent(target.endpoint().url(), this::request);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(time.down(target, time.start(), 0, FailureKind.OTHER));
    }
    if (request.https() && tls == null) {
      return tls().transform(ar -> ar.succeeded() ? probe(target, judges)
          : Future.succeededFuture(time.down(target, time.start(), 0, FailureKind.TLS)));
    }
    Host host = request.host();
    synchronized (host) {
      if (host.inFlight >= MAX_CONNECTIONS_PER_HOST) {
        Waiting w = new Waiting(target, request, judges, Promise.promise(), ticker.nanos());
        host.waiting.add(w);
        return w.result.future();
      }
      host.inFlight++;
    }
    return start(target, request, judges);
  }

  /** The TLS context, made on a worker the first time (an HTTPS probe fails TLS if it cannot be made). */
  private synchronized Future<SslContext> tls() {
    if (tlsLoading == null) {
      tlsLoading = vertx.executeBlocking(tlsSource::get, false).onSuccess(t -> tls = t);
    }
    return tlsLoading;
  }

  /** Makes the probe; when it ends, its room goes to the oldest probe of the host still worth making. */
  private Future<Observation> start(ProbeTarget target, Request request, Judges judges) {
    Future<Observation> result = exchange(target, request, judges);
    result.onComplete(ar -> next(request.host()));
    return result;
  }

  private void next(Host host) {
    while (true) {
      Waiting w;
      synchronized (host) {
        w = host.waiting.poll();
        if (w == null) {
          host.inFlight--;
          return;
        }
      }
      long waitedMs = (ticker.nanos() - w.since) / 1_000_000L;
      if (waitedMs < w.target.endpoint().timeout().toMillis()) {
        start(w.target, w.request, w.judges).onComplete(w.result);
        return;
      }
      w.result.fail(new ProbeSkipped("waited " + waitedMs + " ms, longer than its timeout, for one of the "
          + MAX_CONNECTIONS_PER_HOST + " probes of " + host.name + " in flight"));
    }
  }

  private Future<Observation> exchange(ProbeTarget target, Request request, Judges judges) {
    ContextInternal context = vertx.getOrCreateContext();
    EventLoop loop = context.nettyEventLoop();
    Exchange exchange = new Exchange(target, request, judges, time.start(), context.promise());
    // Connect and read timeouts alone would let a server that trickles bytes hold the probe: the
    // deadline bounds the whole exchange, and ends it
    exchange.deadline = loop.schedule(
        () -> exchange.finish(time.down(target, exchange.start, 0, FailureKind.TIMEOUT)),
        Math.max(1, target.endpoint().timeout().toMillis()), TimeUnit.MILLISECONDS);
    ChannelFuture connect = bootstrap.clone(loop).handler(exchange).connect(request.address());
    exchange.attach(connect.channel());
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        exchange.fail(f.cause());
      }
    });
    return exchange.result.future();
  }

  /** What a URL's probes share: the address, the request's bytes and the host's room. */
  private Request request(URI url) {
    String host = url.getHost();
    if (host == null) {
      throw new IllegalArgumentException("no host in " + url);
    }
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(bare);
    InetSocketAddress address;
    try {
      address = literal != null ? new InetSocketAddress(InetAddress.getByAddress(bare, literal), port)
          : InetSocketAddress.createUnresolved(bare, port); // resolved by Vert.x's resolver, off this thread
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e); // not for a literal of 4 or 16 bytes
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    boolean defaultPort = url.getPort() < 0 || port == (https ? 443 : 80);
    String head = "GET " + path + " HTTP/1.1\r\n"
        + "Host: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
        + "User-Agent: pharos-agent\r\n"
        + "Accept: */*\r\n"
        + "Connection: close\r\n\r\n";
    String hostPort = host + ":" + port;
    return new Request(bare, port, https, address, head.getBytes(StandardCharsets.ISO_8859_1),
        hosts.computeIfAbsent(hostPort, Host::new));
  }

  /** One URL's probes: where to connect, whether with TLS, and the request they send. */
  private record Request(String hostName, int port, boolean https, InetSocketAddress address, byte[] head,
      Host host) {
  }

  /** One host's probes: how many are in flight, and those waiting for room (guarded by itself). */
  private static final class Host {
    final String name;
    int inFlight;
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    Host(String name) {
      this.name = name;
    }
  }

  /** A probe waiting for room since {@code since} (ticker nanos). */
  private record Waiting(ProbeTarget target, Request request, Judges judges, Promise<Observation> result,
      long since) {
  }

  /**
   * One probe's connection: the channel's last handler (it puts TLS and the response decoder
   * before itself), its verdict (the first one wins) and the deadline. Runs on the channel's event
   * loop; the deadline and {@link #attach} may come from the thread that started the probe.
   */
  private final class Exchange extends ChannelInboundHandlerAdapter {
    final ProbeTarget target;
    final Request request;
    final Judges judges;
    final long start;
    final Promise<Observation> result;
    volatile ScheduledFuture<?> deadline;
    private volatile Channel channel;
    private int status;
    private boolean interim;
    private Judge judge;

    Exchange(ProbeTarget target, Request request, Judges judges, long start, Promise<Observation> result) {
      this.target = target;
      this.request = request;
      this.judges = judges;
      this.start = start;
      this.result = result;
    }

    void attach(Channel c) {
      channel = c;
      if (result.future().isComplete()) {
        c.close(); // the verdict came while the connection was being set up
      }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (request.https()) {
        SslHandler ssl = tls.newHandler(ctx.alloc(), request.hostName(), request.port()); // SNI for a name
        SSLEngine engine = ssl.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
        engine.setSSLParameters(params);
        ctx.pipeline().addBefore(ctx.name(), null, ssl);
      }
      ctx.pipeline().addBefore(ctx.name(), null, new HttpResponseDecoder());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // with TLS, the handler holds the request until the handshake is done
      ctx.writeAndFlush(Unpooled.wrappedBuffer(request.head()));
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!result.future().isComplete() && msg instanceof HttpObject http) {
          read(http);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void read(HttpObject msg) {
      if (msg.decoderResult().isFailure()) {
        Throwable cause = msg.decoderResult().cause();
        if (cause instanceof PrematureChannelClosureException) {
          finish(time.down(target, start, status, FailureKind.RESET)); // closed within the head
        } else {
          fail(cause); // not HTTP/1.x, or a head beyond the decoder's limits
        }
        return;
      }
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
        interim = status >= 100 && status < 200 && status != 101; // a 100 Continue: the answer follows
        if (!interim) {
          judge = judges.judge(target, start);
          if (settled(judge.head(status))) {
            return;
          }
        }
      }
      if (msg instanceof HttpContent content && judge != null && !interim && settled(judge.chunk(content.content()))) {
        return;
      }
      if (msg instanceof LastHttpContent) {
        if (interim) {
          interim = false;
        } else if (judge != null) {
          settled(judge.end());
        }
      }
    }

    private boolean settled(Observation verdict) {
      if (verdict == null) {
        return false;
      }
      finish(verdict);
      return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      // the decoder has passed on the end of a body delimited by the close before this
      finish(time.down(target, start, status, FailureKind.RESET));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
    }

    void fail(Throwable cause) {
      finish(time.down(target, start, status, FailureClassifier.classify(cause)));
    }

    /** The verdict, once; then the connection goes at once. */
    void finish(Observation o) {
      if (result.tryComplete(o)) {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
          d.cancel(false);
        }
        Channel c = channel;
        if (c != null) {
          c.close();
        }
      }
    }
  }

  /** Judges one answer as it arrives: its status, its body's chunks, its end. Null: read on. */
  interface Judge {
    Observation head(int status);

    Observation chunk(ByteBuf chunk);

    Observation end();
  }

  /** Makes the judge of one probe of {@code target} started at {@code start} (ticker nanos). */
  interface Judges {
    Judge judge(ProbeTarget target, long start);
  }

  /** The endpoint's {@code expect}: its status, and its text within the first {@value #MAX_BODY_BYTES} bytes. */
  private final class Expectation implements Judge {
    private final ProbeTarget target;
    private final long start;
    private int status;
    private BodyScan scan;

    Expectation(ProbeTarget target, long start) {
      this.target = target;
      this.start = start;
    }

    @Override
    public Observation head(int status) {
      this.status = status;
      EndpointConfig ep = target.endpoint();
      if (status != ep.expectStatus()) {
        return time.down(target, start, status, FailureKind.STATUS);
      }
      boolean anyBody = ep.expectBody() == null || ep.expectBody().isEmpty();
      scan = new BodyScan(anyBody ? null : ep.expectBody().getBytes(StandardCharsets.UTF_8));
      return null;
    }

    @Override
    public Observation chunk(ByteBuf chunk) {
      if (scan.anyBody()) {
        return scan.count(chunk) >= MAX_BODY_BYTES ? time.up(target, start, status) : null; // that much will do
      }
      if (scan.feed(chunk)) {
        return time.up(target, start, status);
      }
      return scan.read() >= MAX_BODY_BYTES ? time.down(target, start, status, FailureKind.BODY) : null;
    }

    @Override
    public Observation end() {
      return scan.anyBody() ? time.up(target, start, status) : time.down(target, start, status, FailureKind.BODY);
    }
  }
}
