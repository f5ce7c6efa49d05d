package io.pharos.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.agent.TestCluster;
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
 * Each asynchronous publish of a client completes through one stage Hazelcast runs on its default
 * executor. On 2 cores or fewer (the JDK's common pool has one thread, as on CI) Hazelcast's default
 * starts a thread per completion; with {@link HazelcastCallbacks#install} 500 publishes start none.
 */
class HazelcastCallbacksTest {
  @Test
  void publishCompletionsStartNoThreadEach() throws Exception {
    HazelcastCallbacks.install();
    int port = Ports.free();
    HazelcastInstance member = TestCluster.member("callbacks", port);
    ClientConfig c = new ClientConfig();
    c.setClusterName("callbacks");
    c.getNetworkConfig().addAddress("127.0.0.1:" + port);
    c.getMetricsConfig().setEnabled(false);
    HazelcastInstance client = HazelcastClient.newHazelcastClient(c);
    try {
      ITopic<byte[]> topic = client.getTopic("callbacks");
      topic.publishAsync(new byte[16]).toCompletableFuture().get(10, TimeUnit.SECONDS); // connected, proxies made
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long started = threads.getTotalStartedThreadCount();
      Set<String> ranOn = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        // a stage without an executor runs where Hazelcast's own stage ran
        all.add(topic.publishAsync(new byte[16]).thenRunAsync(() -> ranOn.add(Thread.currentThread().getName()))
            .toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long startedMeanwhile = threads.getTotalStartedThreadCount() - started;

      assertThat(startedMeanwhile).as("threads started for 500 publishes").isLessThan(20);
      if (ForkJoinPool.getCommonPoolParallelism() > 1) {
        assertThat(HazelcastCallbacks.installed()).as("the JDK's common pool serves where it has threads").isFalse();
      } else {
        assertThat(HazelcastCallbacks.installed()).isTrue();
        assertThat(ranOn).allMatch(n -> n.startsWith("pharos-hz-async-"), "on the installed pool");
      }
    } finally {
      client.shutdown();
      member.shutdown();
    }
  }
}
