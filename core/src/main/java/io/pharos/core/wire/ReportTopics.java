package io.pharos.core.wire;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The Hazelcast topics report frames travel on: a small fixed set every controller listens to.
 * An agent publishes each frame on two of them whose partitions different members own, so a
 * member that is cut off or frozen delays neither copy's twin (docs/adr/0010). Fixed contract
 * between agents and controllers.
 */
public final class ReportTopics {
  public static final String PREFIX = "pharos.reports.";
  public static final int COUNT = 8;
  /** {@code pharos.reports.0} .. {@code pharos.reports.7}, each an {@code ITopic<byte[]>}. */
  public static final List<String> ALL = IntStream.range(0, COUNT).mapToObj(i -> PREFIX + i).toList();

  private ReportTopics() {}
}
