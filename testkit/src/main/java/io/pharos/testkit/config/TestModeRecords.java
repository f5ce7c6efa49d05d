package io.pharos.testkit.config;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.wire.ModeCodec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mode records signed with {@link TestConfigs#CONTROLLER_KEYS}, as the test configs' controllers
 * sign them. Each record is issued later than the one before (a renewal, not a replay), in the
 * term of its token.
 */
public final class TestModeRecords {
  private static final AtomicLong ISSUE = new AtomicLong(1_764_000_000_000L);

  private TestModeRecords() {}

  public static SignedModeRecord signed(String group, String region, Mode mode, long term, long index,
      long leaseMillis, String reason) {
    return TestConfigs.modeSigner().sign(new ModeRecord(group, region, mode, new FencingToken(term, index),
        leaseMillis, term, ISSUE.incrementAndGet(), reason));
  }

  /** The same, as the JSON the controllers publish. */
  public static String json(String group, String region, Mode mode, long term, long index, long leaseMillis,
      String reason) {
    return ModeCodec.encode(signed(group, region, mode, term, index, leaseMillis, reason));
  }
}
