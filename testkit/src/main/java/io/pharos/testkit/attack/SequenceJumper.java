package io.pharos.testkit.attack;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.MalformedReportException;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A holder of one region's key forging a sequence jump for another agent of that region: it reads
 * the victim's boot id off the topic (it travels in every frame) and sends a validly signed frame
 * of that boot with the largest counter, so the victim's real reports look like replays. With
 * counters per boot, this ends at most the victim's current boot: its next start is accepted.
 */
public final class SequenceJumper {
  /** The boot the forged frame named and the counter it jumped to. */
  public record Result(long victimBoot, long counter) {}

  private final Outsider outsider;
  private final RegionKey key;

  public SequenceJumper(Outsider outsider, RegionKey key) {
    this.outsider = outsider;
    this.key = key;
  }

  /** Waits up to {@code wait} for a frame of {@code victimAgent} (in the key's region), then jumps it. */
  public Result jump(String victimAgent, Duration wait) throws InterruptedException, TimeoutException {
    HazelcastInstance hz = outsider.client();
    CompletableFuture<Report> seen = new CompletableFuture<>();
    List<Runnable> stop = new java.util.ArrayList<>();
    for (String name : ReportTopics.ALL) {
      ITopic<byte[]> topic = hz.getTopic(name);
      UUID id = topic.addMessageListener(m -> {
        byte[] f = m.getMessageObject();
        try {
          Report r = ReportCodec.decode(f, 0, f.length - ReportSigner.MAC_LENGTH);
          if (r.region().equals(key.region()) && r.agentId().equals(victimAgent)) {
            seen.complete(r);
          }
        } catch (MalformedReportException | RuntimeException ignored) {
          // not a report this attacker can read
        }
      });
      stop.add(() -> topic.removeMessageListener(id));
    }
    Report victim;
    try {
      victim = seen.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      stop.forEach(Runnable::run);
    }
    Report forged = new Report(Report.VERSION, key.region(), key.generation(), victimAgent, victim.bootId(),
        Long.MAX_VALUE, victim.uptimeMillis() + 1, 0, victim.sentAt(), List.of());
    hz.<byte[]>getTopic(ReportTopics.ALL.get(0)).publish(new ReportSigner(key).sign(forged));
    return new Result(victim.bootId(), Long.MAX_VALUE);
  }
}
