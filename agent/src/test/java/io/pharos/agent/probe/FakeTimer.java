package io.pharos.agent.probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Deterministic time for the scheduler: records every delay asked for, runs tasks on advance. */
final class FakeTimer implements ProbeTimer {
  record Scheduled(long id, long due, long delay, Runnable task) {}

  private final PriorityQueue<Scheduled> queue =
      new PriorityQueue<>(Comparator.comparingLong(Scheduled::due).thenComparingLong(Scheduled::id));
  final List<Long> delays = new ArrayList<>();
  private long now;
  private long nextId;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public long schedule(long delayMillis, Runnable task) {
    long id = nextId++;
    delays.add(delayMillis);
    queue.add(new Scheduled(id, now + delayMillis, delayMillis, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    queue.removeIf(s -> s.id() == id);
  }

  int pending() {
    return queue.size();
  }

  /** Runs every task due within {@code millis}, in time order, moving the clock as it goes. */
  void advance(long millis) {
    long end = now + millis;
    while (!queue.isEmpty() && queue.peek().due() <= end) {
      Scheduled s = queue.poll();
      now = Math.max(now, s.due());
      s.task().run();
    }
    now = end;
  }

  /** Runs the next task, whenever it is due. */
  void runNext() {
    Scheduled s = queue.poll();
    now = Math.max(now, s.due());
    s.task().run();
  }
}
