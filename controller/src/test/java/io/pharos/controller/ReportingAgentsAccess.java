package io.pharos.controller;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.config.PharosConfig;

/** {@link ReportingAgents} for tests in other packages of this module. */
public final class ReportingAgentsAccess {
  private ReportingAgentsAccess() {}

  /** Running simulated agents: restart one, stop all. */
  public interface Agents extends AutoCloseable {
    void restart(String region);

    @Override
    void close();
  }

  public static Agents start(PharosConfig config, HazelcastInstance client, long periodMs) {
    ReportingAgents a = new ReportingAgents(config, client).start(periodMs);
    return new Agents() {
      @Override
      public void restart(String region) {
        a.restart(region);
      }

      @Override
      public void close() {
        a.close();
      }
    };
  }
}
