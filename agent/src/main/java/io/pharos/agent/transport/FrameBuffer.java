package io.pharos.agent.transport;

import java.util.ArrayDeque;

/**
 * Bounded FIFO of reports waiting for the cluster. When full, the oldest frame is dropped
 * and counted: recent reports matter more to the controllers than old ones, which would arrive
 * too late to count as fresh votes anyway. Thread-safe (readers are status pages).
 */
public final class FrameBuffer<T> {
  private final ArrayDeque<T> frames = new ArrayDeque<>();
  private final int limit;
  private long dropped;

  public FrameBuffer(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("buffer limit must be at least 1, was " + limit);
    }
    this.limit = limit;
  }

  /** Appends; returns true when the oldest frame had to be dropped to make room. */
  public synchronized boolean add(T frame) {
    boolean drop = frames.size() >= limit;
    if (drop) {
      frames.pollFirst();
      dropped++;
    }
    frames.addLast(frame);
    return drop;
  }

  /**
   * Puts back a frame taken with {@link #poll()} whose publication failed, at the head, so the
   * order is kept. If newer frames filled the buffer meanwhile, it is the oldest: dropped.
   */
  public synchronized void putBack(T frame) {
    if (frames.size() >= limit) {
      dropped++;
    } else {
      frames.addFirst(frame);
    }
  }

  /** The oldest frame, removed, or null. */
  public synchronized T poll() {
    return frames.pollFirst();
  }

  public synchronized int size() {
    return frames.size();
  }

  public synchronized boolean isEmpty() {
    return frames.isEmpty();
  }

  public synchronized long dropped() {
    return dropped;
  }

  public int limit() {
    return limit;
  }
}
