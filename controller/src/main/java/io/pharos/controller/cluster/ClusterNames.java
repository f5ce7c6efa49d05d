package io.pharos.controller.cluster;

/** Names of the Hazelcast structures shared with agents (agents use the same literals). */
public final class ClusterNames {
  /** {@code ITopic<byte[]>}: one signed report frame per message. */
  public static final String REPORTS = "pharos.reports";
  /** {@code IMap<String, String>}: region to its mode record (JSON, see ModeCodec). */
  public static final String MODES = "pharos.mode";
  /** {@code IMap<String, Long>}: controllers only; each member's data-plane watchdog writes here. */
  public static final String WATCHDOG = "pharos.watchdog";

  private ClusterNames() {}
}
