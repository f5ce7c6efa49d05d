package io.pharos.testkit.attack;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A compromised agent of one region (it holds that region's key) speaking for another: it invents
 * agents "in" the victim region that see the victim region's endpoints failing, MACed with the key
 * it has. The controllers check the MAC with the victim region's key, so every frame is refused.
 */
public final class WrongRegionReporter {
  private final Outsider outsider;
  private final RegionKey stolen;

  /** @param stolen the key of the region the attacker does control */
  public WrongRegionReporter(Outsider outsider, RegionKey stolen) {
    this.outsider = outsider;
    this.stolen = stolen;
  }

  /**
   * Publishes {@code count} reports claiming region {@code victim}, each from a new invented agent,
   * every one saying {@code victim}'s endpoint {@code endpoint} fails, within {@code maxTime}.
   *
   * @return how many were published
   */
  public int claim(String victim, String endpoint, int count, Duration maxTime) {
    long deadline = System.nanoTime() + maxTime.toNanos();
    HazelcastInstance hz = outsider.client();
    Random rnd = new Random();
    int sent = 0;
    while (sent < count && System.nanoTime() < deadline) {
      long now = System.currentTimeMillis();
      Report lie = new Report(Report.VERSION, victim, stolen.generation(), "invented-" + sent, rnd.nextLong(), 1,
          1_000, 0, now, List.of(Observation.down(victim, endpoint, 1_000, 0, FailureKind.REFUSED, now)));
      hz.<byte[]>getTopic(ReportTopics.ALL.get(sent % ReportTopics.COUNT)).publish(withMac(ReportCodec.encode(lie)));
      sent++;
    }
    return sent;
  }

  private byte[] withMac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(stolen.bytes(), "HmacSHA256"));
      byte[] frame = Arrays.copyOf(body, body.length + ReportSigner.MAC_LENGTH);
      System.arraycopy(mac.doFinal(body), 0, frame, body.length, ReportSigner.MAC_LENGTH);
      return frame;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
