package io.pharos.agent.report;

/** Where signed report frames go (the cluster transport, or a test's list). */
@FunctionalInterface
public interface FrameSink {
  /** Takes ownership of {@code frame}; never blocks. */
  void publish(byte[] frame);
}
