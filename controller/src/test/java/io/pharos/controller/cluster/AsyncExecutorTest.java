package io.pharos.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A controller's member completes the asynchronous stages of Hazelcast's futures (a mode write's
 * {@code putAsync}, for one) on its own two threads where the JDK's common pool has one (2 cores
 * or fewer, as on CI): Hazelcast's default there starts a thread per completion (ADR 0019).
 */
class AsyncExecutorTest {
  @Test
  void completionsStartNoThreadEach() throws Exception {
    String group = "async-" + System.nanoTime();
    int[] ports = {Ports.free(), Ports.free(), Ports.free()};
    PharosConfig config = TestConfigs.parse(ChildMember.yaml(group, ports, List.of("r1", "r2", "r3")));
    HazelcastInstance member = HazelcastMembership.start(config, config.controllers().peers().get(0));
    try {
      IMap<String, String> map = member.getMap("async-test");
      map.putAsync("warm", "up").toCompletableFuture().get(10, TimeUnit.SECONDS);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long started = threads.getTotalStartedThreadCount();
      Set<String> ranOn = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        all.add(map.putAsync("k" + i, "v").thenRunAsync(() -> ranOn.add(Thread.currentThread().getName()))
            .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertThat(threads.getTotalStartedThreadCount() - started).as("threads started for 500 writes").isLessThan(20);
      if (ForkJoinPool.getCommonPoolParallelism() > 1) {
        assertThat(HazelcastMembership.asyncExecutor()).as("the JDK's common pool serves where it has threads").isNull();
      } else {
        assertThat(ranOn).allMatch(n -> n.startsWith("pharos-hz-async-"), "on the member's own pool");
      }
    } finally {
      member.shutdown();
    }
  }
}
