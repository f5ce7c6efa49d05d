package io.pharos.dns.embedded;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP on Netty datagram channels of Vert.x's own event loops, one per socket, all bound to
 * one port. Vert.x's {@code DatagramSocket} sends to a host string, which it resolves for every
 * packet, and flushes every answer on its own; here an answer goes to the sender's address as
 * received, and the answers to the queries of one read are flushed together. With the epoll
 * transport a read takes up to {@value #DATAGRAMS_PER_READ} datagrams in one system call
 * ({@code recvmmsg}) and the flush sends their answers in one ({@code sendmmsg}).
 *
 * <p>The handler is pure computation over in-memory state (the {@link Answerer}); nothing here
 * blocks an event loop. A socket whose send buffer is full drops the answer (counted as a failed
 * send) rather than queueing answers without bound: a UDP client asks again.
 */
final class UdpChannels {
  private static final Logger LOG = LoggerFactory.getLogger(UdpChannels.class);
  /**
   * The largest query read whole (no DNS query comes near it); of a bigger datagram only this much
   * is read, and answered as it parses (Netty's default would cut at 2,048 bytes).
   */
  static final int MAX_QUERY_DATAGRAM = 4_096;
  /** Datagrams one read may take at once (epoll: one recvmmsg). */
  static final int DATAGRAMS_PER_READ = 16;

  /** What answers a query: the answer's bytes, or {@code null} to send nothing. */
  @FunctionalInterface
  interface Answerer {
    byte[] answer(byte[] query, InetAddress client);
  }

  private final List<Channel> channels = new CopyOnWriteArrayList<>();

  private UdpChannels() {}

  /**
   * Binds {@code sockets} channels to {@code address} (with {@code SO_REUSEPORT} when more than
   * one), each on another of Vert.x's event loops. Fails, with every channel closed, when one
   * cannot be bound.
   */
  static Future<UdpChannels> bind(Vertx vertx, InetSocketAddress address, int sockets, Answerer answerer,
      DnsServerCounters counters) {
    VertxInternal internal = (VertxInternal) vertx;
    Transport transport = internal.transport();
    InternetProtocolFamily family = address.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6
        : InternetProtocolFamily.IPv4;
    DatagramSocketOptions options = new DatagramSocketOptions().setReusePort(sockets > 1);
    Responder handler = new Responder(answerer, counters);
    UdpChannels bound = new UdpChannels();
    Iterator<EventExecutor> loops = internal.nettyEventLoopGroup().iterator();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < sockets; i++) {
      if (!loops.hasNext()) {
        loops = internal.nettyEventLoopGroup().iterator();
      }
      EventLoop loop = (EventLoop) loops.next();
      chain = chain.compose(v -> bound.bindOne(loop, transport, family, options, address, handler));
    }
    return chain.map(bound).recover(e -> bound.close().transform(r -> Future.failedFuture(e)));
  }

  private Future<Void> bindOne(EventLoop loop, Transport transport, InternetProtocolFamily family,
      DatagramSocketOptions options, InetSocketAddress address, Responder handler) {
    Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(() -> {
      io.netty.channel.socket.DatagramChannel channel = transport.datagramChannel(family);
      transport.configure(channel, options);
      if (channel instanceof EpollDatagramChannel) {
        // recvmmsg: the read buffer is cut into datagrams of MAX_QUERY_DATAGRAM bytes
        channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_DATAGRAM);
        channel.config().setRecvByteBufAllocator(
            new FixedRecvByteBufAllocator(MAX_QUERY_DATAGRAM * DATAGRAMS_PER_READ));
      } else {
        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_QUERY_DATAGRAM));
      }
      return channel;
    }).handler(handler);
    Promise<Void> bound = Promise.promise();
    bootstrap.bind(address).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        channels.add(f.channel());
        bound.complete();
      } else {
        bound.fail(f.cause());
      }
    });
    return bound.future();
  }

  /** The port the channels are bound to. */
  int port() {
    return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
  }

  /** Channels open now. */
  int open() {
    return (int) channels.stream().filter(Channel::isOpen).count();
  }

  /** Closes every channel; completes when all are closed. */
  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Channel c : channels) {
      Promise<Void> closed = Promise.promise();
      c.close().addListener(f -> closed.complete());
      closing.add(closed.future());
    }
    return Future.join(closing).mapEmpty();
  }

  /** Answers each datagram; the answers of one read go out in one flush. Shared by the channels. */
  @ChannelHandler.Sharable
  private static final class Responder extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Answerer answerer;
    private final DnsServerCounters counters;
    private final ChannelFutureListener sent;

    Responder(Answerer answerer, DnsServerCounters counters) {
      this.answerer = answerer;
      this.counters = counters;
      this.sent = f -> {
        if (!f.isSuccess()) {
          counters.sendFailed();
          LOG.warn("could not send a DNS answer: {}", f.cause().toString());
        }
      };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      InetSocketAddress sender = packet.sender();
      byte[] reply = answerer.answer(ByteBufUtil.getBytes(packet.content()), sender.getAddress());
      if (reply == null) {
        return;
      }
      if (!ctx.channel().isWritable()) {
        // the socket's send buffer and Netty's queue are full: drop, as the kernel would
        counters.sendFailed();
        return;
      }
      // straight into a (pooled) direct buffer: a heap buffer would be copied into one on the way out
      ctx.write(new DatagramPacket(ctx.alloc().directBuffer(reply.length).writeBytes(reply), sender)).addListener(sent);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("UDP socket error on {}", ctx.channel().localAddress(), cause);
    }
  }
}
