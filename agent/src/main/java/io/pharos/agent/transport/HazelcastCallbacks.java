package io.pharos.agent.transport;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where Hazelcast runs its futures' asynchronous stages when no executor is named. Every call a
 * client makes asynchronously ({@code publishAsync} above all) takes one such stage inside Hazelcast
 * (its {@code ClientDelegatingFuture} completes itself on it). Hazelcast's default is the JDK's
 * common pool, except where that pool has a single thread (2 cores or fewer), where it starts a new
 * thread for every completion: one thread created and ended per published report. On 2 cores that
 * was most of the machine under load (ADR 0019). {@link #install} puts two named daemon threads
 * there instead, only where the default would start threads; it is process-wide and idempotent.
 */
public final class HazelcastCallbacks {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private HazelcastCallbacks() {}

  /** Call before the first Hazelcast instance or client of the process is created. */
  public static void install() {
    if (ForkJoinPool.getCommonPoolParallelism() > 1 || !INSTALLED.compareAndSet(false, true)) {
      return;
    }
    ConcurrencyUtil.setDefaultAsyncExecutor(new ForkJoinPool(2, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("pharos-hz-async-" + t.getPoolIndex());
      return t;
    }, null, true));
  }

  /** Whether this process's Hazelcast stages run on the pool above (false: the JDK's common pool). */
  public static boolean installed() {
    return INSTALLED.get();
  }
}
