package io.pharos.core.wire;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.util.List;

/**
 * An agent as the wire sees it, for the verifier's tests: one boot, a counter, a monotonic uptime
 * and a wall clock that may be skewed; it signs with its region's test key (generation given).
 */
final class TestAgent {
  final String region;
  final String id;
  final ReportSigner signer;
  long bootId;
  long counter;
  /** Controller clock at this boot's start. */
  long bootedAt;
  /** Agent wall clock minus controller clock. */
  long skewMs;

  TestAgent(String region, String id, long bootId, long bootedAt, int generation) {
    this.region = region;
    this.id = id;
    this.signer = new ReportSigner(TestConfigs.MASTER.regionKey(region, generation));
    this.bootId = bootId;
    this.bootedAt = bootedAt;
  }

  TestAgent(String region, String id, long bootedAt) {
    this(region, id, 0x5eed0000L + id.hashCode(), bootedAt, 1);
  }

  /** A report built and sent at controller time {@code t}. */
  Report report(long t, Observation... obs) {
    return new Report(Report.VERSION, region, signer.generation(), id, bootId, ++counter, t - bootedAt, 0,
        t + skewMs, List.of(obs));
  }

  /** A report built at {@code t} and signed at once. */
  byte[] frame(long t, Observation... obs) {
    return signer.sign(report(t, obs));
  }

  byte[] sign(Report r) {
    return signer.sign(r);
  }

  /** A restart at controller time {@code t}: a new boot id, the counter from 1. */
  void restart(long t, long newBootId) {
    bootId = newBootId;
    bootedAt = t;
    counter = 0;
  }
}
