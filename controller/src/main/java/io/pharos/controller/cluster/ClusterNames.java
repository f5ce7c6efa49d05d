package io.pharos.controller.cluster;

/** Names of the Hazelcast structures shared with agents (agents use the same literals). */
public final class ClusterNames {
  /**
   * {@code ITopic<byte[]>}s: one signed report frame per message, each frame on two of them (see
   * {@link io.pharos.core.wire.ReportTopics}, shared with agents and testkit).
   */
  public static final java.util.List<String> REPORTS = io.pharos.core.wire.ReportTopics.ALL;
  /**
   * {@code IMap<String, String>}: region to its latest signed mode record (JSON, see ModeCodec), a
   * mailbox for agents that connect later; anything in it counts only if validly signed.
   */
  public static final String MODES = "pharos.mode";
  /** {@code ITopic<String>}: every signed mode record as the leader publishes it (the fence, ADR 0011). */
  public static final String MODE_RECORDS = "pharos.mode.records";
  /** {@code IMap<String, Long>}: controllers only; each member's data-plane watchdog writes here. */
  public static final String WATCHDOG = "pharos.watchdog";

  private ClusterNames() {}
}
