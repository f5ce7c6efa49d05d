package io.pharos.agent.transport;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Hazelcast client and the worker threads blocking calls to it go through, so that no
 * blocking Hazelcast call ever runs on an event loop. Two lanes, so that one slow call cannot hold
 * back the other kind: {@link #call} (listener registrations, reads, membership checks, replacing
 * the client) and {@link #prepare} (what publishing needs: topic proxies). Publishing itself is
 * asynchronous and started from the agent's context on {@link #current()}. Connection changes are
 * delivered on the agent's context. The client starts asynchronously and reconnects forever with
 * capped backoff.
 */
public final class ClusterConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);
  /** Longest a Hazelcast call may hold the worker before Vert.x warns about a blocked thread. */
  private static final long MAX_CALL_SECONDS = 30;

  private final Vertx vertx;
  private final Context context;
  private final ClientConfig config;
  private final int majority;
  private int minorityChecks;
  private int checksBeforeMove = 3;
  private long watchTimer = -1;
  private final WorkerExecutor worker;
  private final WorkerExecutor publishLane;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private final AtomicLong generation = new AtomicLong();
  private ListenerConfig lifecycleListener;
  private volatile HazelcastInstance client;
  private volatile boolean connected;
  private volatile boolean closed;

  /**
   * @param majority how many controllers make a majority: a connected cluster with fewer members
   *     is a minority side of a split, and the agent moves to the other side
   */
  public ClusterConnection(Vertx vertx, Context context, ClientConfig config, String name, int majority) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.majority = majority;
    this.worker = vertx.createSharedWorkerExecutor("pharos-hz-" + name, 1, MAX_CALL_SECONDS, TimeUnit.SECONDS);
    this.publishLane = vertx.createSharedWorkerExecutor("pharos-hz-publish-" + name, 1, MAX_CALL_SECONDS,
        TimeUnit.SECONDS);
  }

  /**
   * Creates a client whose lifecycle events count only while it is the current one: the events of
   * a replaced client (its shutdown above all) must not mark the new one disconnected. Runs on the
   * worker.
   */
  private HazelcastInstance newClient() {
    long gen = generation.incrementAndGet();
    if (gen > 1) {
      // a replacement: the old client's events are ignored from here on, so mark the connection
      // lost now and the new client's connect reaches the listeners (publisher, mode watcher)
      context.runOnContext(v -> changed(false));
    }
    if (lifecycleListener != null) {
      config.getListenerConfigs().remove(lifecycleListener);
    }
    lifecycleListener = new ListenerConfig((LifecycleListener) e -> onLifecycle(gen, e));
    config.addListenerConfig(lifecycleListener);
    HazelcastCallbacks.install();
    return HazelcastClient.newHazelcastClient(config);
  }

  /** Creates the client; completes at once, before any controller is reachable. */
  public Future<Void> start() {
    return worker.<Void>executeBlocking(() -> {
      client = newClient();
      return null;
    }).onSuccess(v -> context.runOnContext(x -> watchTimer = vertx.setPeriodic(1_000, t -> checkMajority())));
  }

  /**
   * During a split of the controllers' Hazelcast cluster the client stays with whichever side it
   * was on. Reports sent to a minority side reach only controllers that cannot act, so after three
   * checks in a row on a minority the client reconnects, trying the controllers it is not
   * connected to first.
   */
  private void checkMajority() {
    if (closed || !connected) {
      minorityChecks = 0;
      return;
    }
    call(c -> c.getCluster().getMembers().stream().map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort())
        .toList()).onSuccess(members -> {
          minorityChecks = members.size() < majority ? minorityChecks + 1 : 0;
          if (members.size() >= majority) {
            checksBeforeMove = 3;
          }
          if (minorityChecks >= checksBeforeMove) {
            minorityChecks = 0;
            // back off while no majority is reachable at all (a reconnect lands on a minority again)
            checksBeforeMove = Math.min(60, checksBeforeMove * 2);
            LOG.warn("the controller cluster this agent is connected to has {} of the controllers, fewer than a"
                + " majority ({}): reconnecting to the others", members.size(), majority);
            reconnectAvoiding(members);
          }
        });
  }

  private void reconnectAvoiding(List<String> current) {
    worker.<Void>executeBlocking(() -> {
      List<String> addresses = new java.util.ArrayList<>(config.getNetworkConfig().getAddresses());
      addresses.sort(java.util.Comparator.comparing(current::contains));
      config.getNetworkConfig().setAddresses(addresses);
      // in that order: the client shuffles the list by default and could land on the same side
      config.setProperty("hazelcast.client.shuffle.member.list", "false");
      HazelcastInstance old = client;
      client = newClient();
      if (old != null) {
        old.shutdown();
      }
      return null;
    });
  }

  /** Called on the agent's context with {@code true} after every (re)connect, {@code false} on loss. */
  public void onConnectionChange(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  public boolean connected() {
    return connected;
  }

  public long connects() {
    return connects.get();
  }

  public long disconnects() {
    return disconnects.get();
  }

  /**
   * Runs a blocking Hazelcast call (a registration, a read) on the control lane; completes on the
   * agent's context. It may wait for the cluster for up to the invocation timeout (10 s): never
   * put what publishing needs here.
   */
  public <T> Future<T> call(Function<HazelcastInstance, T> op) {
    return worker.<T>executeBlocking(() -> op.apply(requireClient()));
  }

  /**
   * Runs a blocking call that publishing needs (creating topic proxies) on the publishing lane, so
   * that a slow registration on the control lane cannot hold back reports (issue 15, defect 10).
   */
  public <T> Future<T> prepare(Function<HazelcastInstance, T> op) {
    return publishLane.<T>executeBlocking(() -> op.apply(requireClient()));
  }

  /** The current client for non-blocking calls from the agent's context, or null before start / after close. */
  public HazelcastInstance current() {
    return closed ? null : client;
  }

  /** The agent's context, where connection changes and call results are delivered. */
  public Context context() {
    return context;
  }

  /** Starts an async Hazelcast call on the worker; its result completes on the agent's context. */
  public <T> Future<T> callAsync(Function<HazelcastInstance, CompletionStage<T>> op) {
    return call(op).compose(stage -> Future.fromCompletionStage(stage, context));
  }

  /** Shuts the client down (idempotent). */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    connected = false;
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
    }
    return worker.<Void>executeBlocking(() -> {
      HazelcastInstance c = client;
      if (c != null) {
        c.shutdown();
      }
      return null;
    }).eventually(worker::close).eventually(publishLane::close);
  }

  private HazelcastInstance requireClient() {
    HazelcastInstance c = client;
    if (c == null || closed) {
      throw new IllegalStateException("the Hazelcast client is not running");
    }
    return c;
  }

  /** Hazelcast's thread: hand the change over to the agent's context. */
  private void onLifecycle(long gen, LifecycleEvent event) {
    if (gen != generation.get()) {
      return;
    }
    switch (event.getState()) {
      case CLIENT_CONNECTED -> context.runOnContext(v -> changed(true));
      case CLIENT_DISCONNECTED, SHUTTING_DOWN -> context.runOnContext(v -> changed(false));
      case CLIENT_CHANGED_CLUSTER -> LOG.warn("reconnected to a different controller cluster (it was restarted)");
      default -> { }
    }
  }

  private void changed(boolean now) {
    if (closed && now) {
      return;
    }
    if (now == connected) {
      return;
    }
    connected = now;
    if (now) {
      connects.incrementAndGet();
      LOG.info("connected to the controller cluster '{}'", config.getClusterName());
    } else {
      disconnects.incrementAndGet();
      if (!closed) {
        LOG.warn("lost the controller cluster '{}'; buffering reports and reconnecting", config.getClusterName());
      }
    }
    for (Consumer<Boolean> l : listeners) {
      try {
        l.accept(now);
      } catch (RuntimeException e) {
        LOG.error("connection listener failed", e);
      }
    }
  }
}
