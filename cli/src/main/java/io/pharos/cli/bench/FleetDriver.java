package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.partition.Partition;
import io.pharos.agent.transport.AgentClientConfig;
import io.pharos.agent.transport.HazelcastCallbacks;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM of the agent fleet ({@code pharos bench-fleet-driver}): {@code agents} simulated agents of
 * one region, each its own Hazelcast client configured as a real agent's
 * ({@link AgentClientConfig}: async start and reconnect, one IO thread each way, one event thread),
 * its own boot id and counter, signing every report with the region's key. Each agent sends a
 * report once per heartbeat (staggered over the heartbeat) and at once when a result flips or is
 * confirmed, each on two report topics owned by different members as an agent does.
 *
 * <p>What the agents observe is real: this JVM probes every region's endpoints as an agent's probe
 * scheduler does (interval, timeout, confirmation probes after a flip, expected status and body),
 * and every agent of the JVM reports the latest results. So a killed app is seen down by the fleet.
 *
 * <p>Driven through files in {@code dir}: it writes {@code <id>.json} (its counts) every second and
 * reads {@code <id>.control}: {@code keep N} closes every agent past the first N of this driver (its
 * client leaves the cluster), {@code stop} stops sending, waits for outstanding publishes, writes
 * its last counts with {@code done: true} and exits. It also stops by itself at {@code maxRun}.
 */
public final class FleetDriver {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param id this driver's name (its status file)
   * @param region the agents' region (whose key signs)
   * @param agents simulated agents in this JVM
   * @param firstIndex agent ids are {@code fleet-<region>-<firstIndex + i>}
   * @param dir the run directory shared with the coordinator
   * @param maxRun the driver exits after this whatever it is told
   */
  public record Options(String id, String region, int agents, int firstIndex, Path dir, Duration maxRun) {
    public Options {
      if (agents < 1 || agents > 2000) {
        throw new IllegalArgumentException("--agents must be 1..2000 per driver, was " + agents);
      }
      if (maxRun.toSeconds() < 10 || maxRun.toHours() > 6) {
        throw new IllegalArgumentException("--max-seconds must be 10..21600, was " + maxRun.toSeconds());
      }
    }
  }

  private final PharosConfig config;
  private final RegionKey key;
  private final Options o;
  private final PrintStream out;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "fleet-timer");
    t.setDaemon(true);
    return t;
  });
  private final List<Agent> agents = new ArrayList<>();
  private final List<Prober> probers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong reportsBuilt = new AtomicLong();
  private final AtomicLong edgeReports = new AtomicLong();
  private final AtomicLong framesStarted = new AtomicLong();
  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong framesFailed = new AtomicLong();
  private final AtomicLong offlineSkips = new AtomicLong();
  private final AtomicInteger channelMetricsTasksCancelled = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final long startedNanos = System.nanoTime();
  private volatile boolean stopping;
  private volatile int kept;

  public FleetDriver(PharosConfig config, RegionKey key, Options o, PrintStream out) {
    this.config = config;
    this.key = key;
    this.o = o;
    this.out = out;
  }

  /** Runs until told to stop (or {@code maxRun}); returns 0 when every publish was answered. */
  public int run() throws InterruptedException {
    for (RegionConfig r : config.regions()) {
      for (EndpointConfig e : r.endpoints()) {
        if (e.kind() == EndpointConfig.Kind.HTTP) {
          probers.add(new Prober(r.name(), e));
        }
      }
    }
    probers.forEach(p -> timer.schedule(p::probe, (long) (Math.random() * 1000), TimeUnit.MILLISECONDS));
    Thread status = new Thread(() -> {
      while (!stopping) {
        writeStatus(false);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "fleet-status");
    status.setDaemon(true);
    status.start();
    SecureRandom random = new SecureRandom();
    long heartbeat = config.probes().heartbeat().toMillis();
    for (int i = 0; i < o.agents(); i++) {
      Agent a = new Agent("fleet-" + o.region() + "-" + (o.firstIndex() + i), random.nextLong());
      agents.add(a);
      a.start();
      started.incrementAndGet();
      a.beat = timer.scheduleAtFixedRate(a::send, heartbeat * i / o.agents(), heartbeat, TimeUnit.MILLISECONDS);
    }
    kept = agents.size();
    out.printf("%s: %d agents started in %d ms (%d threads)%n", o.id(), agents.size(), elapsedMs(),
        Thread.activeCount());
    long deadline = startedNanos + o.maxRun().toNanos();
    Path control = o.dir().resolve(o.id() + ".control");
    while (System.nanoTime() < deadline) {
      String cmd = readControl(control);
      if (cmd.equals("stop")) {
        break;
      }
      if (cmd.startsWith("keep ")) {
        keep(Integer.parseInt(cmd.substring(5).trim()));
      }
      Thread.sleep(1000);
    }
    stopping = true;
    status.interrupt();
    status.join();
    agents.forEach(a -> a.beat.cancel(false));
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (framesStarted.get() > framesSent.get() + framesFailed.get() && System.nanoTime() < wait) {
      Thread.sleep(50);
    }
    writeStatus(true);
    out.printf("%s: stopped after %d s: %d reports, %d frames sent, %d failed, %d unanswered%n", o.id(),
        elapsedMs() / 1000, reportsBuilt.get(), framesSent.get(), framesFailed.get(), unanswered());
    agents.forEach(Agent::close);
    return unanswered() == 0 ? 0 : 1;
  }

  private long unanswered() {
    return framesStarted.get() - framesSent.get() - framesFailed.get();
  }

  /** Closes every agent past the first {@code n} (their clients leave the cluster). */
  private void keep(int n) {
    if (n >= kept) {
      return;
    }
    for (int i = n; i < kept; i++) {
      Agent a = agents.get(i);
      a.beat.cancel(false);
      a.close();
    }
    out.printf("%s: kept %d of %d agents at %d ms%n", o.id(), n, kept, elapsedMs());
    kept = n;
  }

  private static String readControl(Path control) {
    try {
      return Files.exists(control) ? Files.readString(control).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private synchronized void writeStatus(boolean done) {
    ObjectNode j = JSON.createObjectNode();
    j.put("id", o.id()).put("region", o.region()).put("agents", started.get()).put("active", kept)
        .put("connected", connected.get()).put("reportsBuilt", reportsBuilt.get()).put("edgeReports", edgeReports.get())
        .put("framesStarted", framesStarted.get()).put("framesSent", framesSent.get())
        .put("framesFailed", framesFailed.get()).put("offlineSkips", offlineSkips.get())
        .put("threads", Thread.activeCount()).put("channelMetricsTasksCancelled", channelMetricsTasksCancelled.get())
        .put("elapsedMs", elapsedMs())
        .put("pid", ProcessHandle.current().pid()).put("done", done);
    ObjectNode f = j.putObject("failures");
    failures.forEach((k, v) -> f.put(k, v.get()));
    var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    j.put("heapUsedMb", mem.getUsed() >> 20);
    Path file = o.dir().resolve(o.id() + ".json");
    Path tmp = o.dir().resolve(o.id() + ".json.tmp");
    try {
      Files.writeString(tmp, j.toString());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private long elapsedMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private void failed(Throwable err) {
    framesFailed.incrementAndGet();
    Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
        ? err.getCause() : err;
    failures.computeIfAbsent(c.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
  }

  /** Every active agent sends now: a result flipped or was confirmed. */
  private void edge() {
    for (int i = 0; i < kept && i < agents.size(); i++) {
      Agent a = agents.get(i);
      timer.execute(() -> {
        if (a.send()) {
          edgeReports.incrementAndGet();
        }
      });
    }
  }

  /**
   * Cancels the once-a-second task with which a Hazelcast client's networking publishes its channels'
   * metrics (Hazelcast 5.6.0 schedules it whatever the metrics config: {@code NioNetworking.start}); it
   * wakes the client's metrics thread and both I/O threads every second. Simulation cost only: the task
   * sends nothing, so the controllers see what real agents send, and a real agent (one client) keeps it.
   * Measured (JFR, 09:24, one driver of 166 agents in the soak): the clients' metrics threads were the
   * driver's busiest threads. Reflection into Hazelcast's internals; false when they moved.
   */
  static boolean cancelChannelMetricsTask(HazelcastInstance client) {
    try {
      Object impl = client.getClass().getField("client").get(client); // HazelcastClientProxy
      Object manager = impl.getClass().getMethod("getConnectionManager").invoke(impl);
      Field networking = manager.getClass().getDeclaredField("networking");
      networking.setAccessible(true);
      Object nio = networking.get(manager);
      Field publish = nio.getClass().getDeclaredField("publishFuture");
      publish.setAccessible(true);
      return publish.get(nio) instanceof ScheduledFuture<?> f && f.cancel(false);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** One simulated agent: its own Hazelcast client, boot id and counter. */
  private final class Agent {
    final String id;
    final long bootId;
    final long startedAt = System.nanoTime();
    final ReportSigner signer = new ReportSigner(key);
    final List<String> topics;
    final AtomicInteger pending = new AtomicInteger();
    volatile boolean online;
    volatile boolean closed;
    HazelcastInstance client;
    ScheduledFuture<?> beat;
    long counter;

    Agent(String id, long bootId) {
      this.id = id;
      this.bootId = bootId;
      int start = Math.floorMod(id.hashCode(), ReportTopics.COUNT);
      List<String> order = new ArrayList<>();
      for (int i = 0; i < ReportTopics.COUNT; i++) {
        order.add(ReportTopics.ALL.get((start + i) % ReportTopics.COUNT));
      }
      this.topics = List.copyOf(order);
    }

    void start() {
      ClientConfig c = AgentClientConfig.build(config, id);
      c.setInstanceName(id);
      c.addListenerConfig(new ListenerConfig((LifecycleListener) this::lifecycle));
      HazelcastCallbacks.install(); // as the agent does (ADR 0019)
      client = HazelcastClient.newHazelcastClient(c);
      if (cancelChannelMetricsTask(client)) {
        channelMetricsTasksCancelled.incrementAndGet();
      }
    }

    private void lifecycle(LifecycleEvent e) {
      if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED && !online) {
        online = true;
        connected.incrementAndGet();
      } else if ((e.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED
          || e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) && online) {
        online = false;
        connected.decrementAndGet();
      }
    }

    /** Signs the next report and publishes it on two paths; false when not sent (offline, closed). */
    synchronized boolean send() {
      if (closed || stopping) {
        return false;
      }
      if (!online) {
        offlineSkips.incrementAndGet();
        return false;
      }
      long now = System.currentTimeMillis();
      List<Observation> obs = new ArrayList<>(probers.size());
      for (Prober p : probers) {
        Observation last = p.last;
        if (last != null) {
          obs.add(last);
        }
      }
      long uptime = (System.nanoTime() - startedAt) / 1_000_000;
      Report report = new Report(Report.VERSION, key.region(), key.generation(), id, bootId, ++counter, uptime, 0,
          now, obs);
      byte[] frame = signer.sign(report);
      reportsBuilt.incrementAndGet();
      for (String topic : pair()) {
        framesStarted.incrementAndGet();
        try {
          // on the thread that completes it: Hazelcast's default executor for callbacks starts a new
          // thread per callback where the common pool has one thread (2 cores or fewer)
          pending.incrementAndGet();
          client.<byte[]>getTopic(topic).publishAsync(frame).whenCompleteAsync((v, err) -> {
            if (err == null) {
              framesSent.incrementAndGet();
            } else {
              failed(err);
            }
            pending.decrementAndGet();
          }, Runnable::run);
        } catch (RuntimeException e) {
          failed(e);
          pending.decrementAndGet();
        }
      }
      return true;
    }

    /** Two topics whose partitions different members own (the first two when owners are unknown). */
    private List<String> pair() {
      String first = topics.get(0);
      UUID owner = owner(first);
      for (int i = 1; i < topics.size(); i++) {
        UUID other = owner(topics.get(i));
        if (owner == null || other == null || !Objects.equals(owner, other)) {
          return List.of(first, topics.get(i));
        }
      }
      return List.of(first, topics.get(1));
    }

    private UUID owner(String topic) {
      try {
        Partition p = client.getPartitionService().getPartition(topic);
        Member m = p == null ? null : p.getOwner();
        return m == null ? null : m.getUuid();
      } catch (RuntimeException e) {
        return null;
      }
    }

    /** Stops sending, waits (up to 5 s) for its publishes to be answered, and leaves the cluster. */
    void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (pending.get() > 0 && System.nanoTime() < until) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
      client.shutdown();
    }
  }

  /** One endpoint probed as an agent's scheduler does; every agent of the JVM reports its latest result. */
  private final class Prober {
    final String region;
    final EndpointConfig e;
    volatile Observation last;
    Boolean lastOk;
    int run;
    boolean confirming;

    Prober(String region, EndpointConfig e) {
      this.region = region;
      this.e = e;
    }

    void probe() {
      if (stopping) {
        return;
      }
      long t0 = System.nanoTime();
      HttpRequest req = HttpRequest.newBuilder(e.url()).timeout(e.timeout()).GET().build();
      http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
        int micros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1000);
        long now = System.currentTimeMillis();
        Observation obs;
        if (err != null) {
          obs = Observation.down(region, e.id(), micros, 0, failure(err), now);
        } else if (resp.statusCode() != e.expectStatus()) {
          obs = Observation.down(region, e.id(), micros, resp.statusCode(), FailureKind.STATUS, now);
        } else if (e.expectBody() != null && !resp.body().contains(e.expectBody())) {
          obs = Observation.down(region, e.id(), micros, resp.statusCode(), FailureKind.BODY, now);
        } else if (e.latencyBudget() != null && micros > e.latencyBudget().toNanos() / 1000) {
          obs = Observation.down(region, e.id(), micros, resp.statusCode(), FailureKind.SLOW, now);
        } else {
          obs = Observation.up(region, e.id(), micros, resp.statusCode(), now);
        }
        done(obs, t0);
      });
    }

    private synchronized void done(Observation obs, long startedNanos) {
      boolean flip = lastOk == null ? !obs.ok() : lastOk != obs.ok();
      if (flip) {
        run = 1;
        confirming = true;
      } else {
        run++;
      }
      boolean edge = flip || confirming;
      lastOk = obs.ok();
      if (confirming && run >= (obs.ok() ? config.probes().upAfter() : config.probes().downAfter())) {
        confirming = false;
      }
      last = obs;
      if (edge) {
        edge();
      }
      if (stopping) {
        return;
      }
      long interval = e.interval().toMillis();
      long delay = confirming ? Math.min(config.probes().confirmAfter().toMillis(), interval)
          : Math.max(0, interval - (System.nanoTime() - startedNanos) / 1_000_000);
      try {
        timer.schedule(this::probe, delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // stopping
      }
    }
  }

  private static FailureKind failure(Throwable err) {
    Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
        ? err.getCause() : err;
    if (c instanceof java.net.http.HttpTimeoutException) {
      return FailureKind.TIMEOUT;
    }
    if (c instanceof java.net.ConnectException) {
      return FailureKind.REFUSED;
    }
    return FailureKind.OTHER;
  }
}
