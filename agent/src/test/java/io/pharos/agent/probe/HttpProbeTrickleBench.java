package io.pharos.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.Ticker;
import io.pharos.core.model.Observation;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not part of the normal test run: its name does not end in Test). Run with
 * {@code bench/probe-trickle.sh}: the real {@link HttpProbe} probes an endpoint that answers 200
 * and then trickles its body one byte every 100 ms for ever, 20 probes a second (half of them
 * with {@code expect.body}), each with a 500 ms timeout, for {@code pharos.bench.seconds}. Every
 * sample records the connections the endpoint still holds, the sockets of this JVM and the heap
 * used after a GC: a probe that leaks its connection at the deadline makes both grow by ~20 a
 * second. Ends with a check (the smoke mode's verdict): connections bounded by the probes in
 * flight, heap flat.
 */
class HttpProbeTrickleBench {
  private static final int ENDPOINTS = 20;
  private static final long TIMEOUT_MS = 500;

  @Test
  void trickle() throws Exception {
    int seconds = Integer.getInteger("pharos.bench.seconds", 600);
    int every = Integer.getInteger("pharos.bench.sampleSeconds", seconds >= 300 ? 60 : 5);
    String out = System.getProperty("pharos.bench.out");
    Vertx vertx = Vertx.vertx();
    HttpProbe probe = new HttpProbe(vertx, Clock.systemUTC(), Ticker.system());
    Map<String, LongAdder> verdicts = new ConcurrentHashMap<>();
    AtomicLong inFlight = new AtomicLong();
    List<long[]> samples = new ArrayList<>();
    try (TricklingServer trickle = new TricklingServer(100, 1)) {
      List<ProbeTarget> targets = new ArrayList<>();
      for (int i = 0; i < ENDPOINTS; i++) {
        targets.add(ProbeFixtures.http(trickle.url("/t" + i), i % 2 == 0 ? null : "never-there", TIMEOUT_MS, 1000));
      }
      long timer = vertx.setPeriodic(1_000, id -> targets.forEach(t -> {
        inFlight.incrementAndGet();
        probe.probe(t).onComplete(ar -> {
          inFlight.decrementAndGet();
          Observation o = ar.result();
          verdicts.computeIfAbsent(o == null ? "error" : o.failure().name(), k -> new LongAdder()).increment();
        });
      }));
      long start = System.nanoTime();
      for (int s = 0; s <= seconds; s += every) {
        long wait = start + s * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000); // a benchmark samples on a schedule; nothing is awaited here
        }
        samples.add(sample(s, trickle));
        System.out.printf("t=%4d s  endpoint holds %4d connections  jvm sockets %4d  heap %5.1f MB  probes %7d%n",
            s, samples.get(samples.size() - 1)[1], samples.get(samples.size() - 1)[2],
            samples.get(samples.size() - 1)[3] / 1e6, trickle.accepted());
      }
      vertx.cancelTimer(timer);
      String table = table(samples, verdicts, trickle.accepted());
      System.out.println(table);
      if (out != null) {
        Files.writeString(Path.of(out), table);
      }
      long[] first = samples.get(Math.min(2, samples.size() - 1));
      long[] last = samples.get(samples.size() - 1);
      // at most the probes of the last two rounds are in flight; a leak holds ~20 more every second
      assertThat(last[1]).as("connections the trickling endpoint still holds").isLessThanOrEqualTo(2L * ENDPOINTS);
      assertThat(last[3] - first[3]).as("heap growth after GC, bytes").isLessThan(8L << 20);
      assertThat(verdicts.keySet()).containsOnly("TIMEOUT");
    } finally {
      vertx.close().await();
    }
  }

  /** {seconds, connections the endpoint holds, sockets of this JVM, heap used after GC}. */
  private static long[] sample(long s, TricklingServer trickle) throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long sockets = 0;
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (java.io.IOException gone) {
          // closed between the listing and the look
        }
      }
    }
    return new long[] {s, trickle.open(), sockets, heap};
  }

  private static String table(List<long[]> samples, Map<String, LongAdder> verdicts, int probes) {
    StringBuilder sb = new StringBuilder("| t (s) | connections the endpoint holds | sockets of the JVM | heap after GC (MB) |\n"
        + "|---:|---:|---:|---:|\n");
    for (long[] s : samples) {
      sb.append(String.format("| %d | %d | %d | %.1f |%n", s[0], s[1], s[2], s[3] / 1e6));
    }
    sb.append("\nProbes: ").append(probes).append(" connections made; verdicts ");
    verdicts.forEach((k, v) -> sb.append(k).append(' ').append(v.sum()).append("; "));
    sb.append("JVM: ").append(Runtime.version()).append(", max heap ")
        .append(Runtime.getRuntime().maxMemory() >> 20).append(" MB.\n");
    return sb.toString();
  }
}
