package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordVerifier;
import io.pharos.testkit.attack.KeyLocker;
import io.pharos.testkit.attack.ModeRecordForger;
import io.pharos.testkit.attack.Outsider;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's data-plane attacks against three real controllers, by an outsider that knows only the
 * cluster name: forged mode records planted where the controllers publish (unsigned with a huge
 * token, signed by another key, claiming the controllers' key id), every key it can see locked (the
 * mode keys, the watchdog's), an object smuggled onto the report topic. Then a region is lost: the
 * real fence lands at agents that keep the highest validly signed record, and no controller halts.
 */
class DataPlaneAttackTest {
  @TempDir
  Path dir;

  /** Stands for a class whose deserialization would run an attacker's code. */
  static final class Smuggled implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void forgedRecordsAndLockedKeysNeitherFenceNorBlockNorHalt() throws Exception {
    try (TestCluster cluster = new TestCluster(dir)) {
      cluster.startAgents();
      String group = cluster.config.controllers().group();
      List<String> addresses = cluster.config.controllers().peers().stream().map(ControllerPeer::hazelcast)
          .map(Object::toString).toList();
      ModeRecordVerifier verifier = new ModeRecordVerifier(group, cluster.config.controllerKeys().trusted());
      // an agent's rule on the broadcast: keep the highest validly signed record, count the rest
      Map<String, SignedModeRecord> held = new ConcurrentHashMap<>();
      AtomicLong refused = new AtomicLong();
      cluster.client().<String>getTopic(ClusterNames.MODE_RECORDS).addMessageListener(m -> {
        SignedModeRecord r;
        try {
          r = ModeCodec.decode(m.getMessageObject());
        } catch (RuntimeException e) {
          refused.incrementAndGet();
          return;
        }
        if (!verifier.valid(r)) {
          refused.incrementAndGet();
          return;
        }
        held.merge(r.record().region(), r, (a, b) -> b.record().token().isNewerThan(a.record().token()) ? b : a);
      });
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.leader() != null && held.size() == 3);

      try (Outsider outsider = Outsider.connect(group, List.of(addresses.get(0)))) {
        ModeRecordForger forger = new ModeRecordForger(outsider, group);
        for (String region : List.of("a", "b", "c")) {
          forger.plantAll(region, Mode.READ_ONLY, held.get("a").keyId());
        }
        outsider.client().getTopic(ClusterNames.REPORTS.get(0)).publish(new Smuggled());
        KeyLocker locker = new KeyLocker(outsider).lockModeKeys(List.of("a", "b", "c")).lockEveryVisibleKey();
        long lockedAt = System.nanoTime();
        assertThat(locker.locked()).contains("pharos.mode/b").anyMatch(k -> k.startsWith("pharos.watchdog/"));
        await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() >= 3 * 3);
        assertThat(held.values()).as("no forgery fenced anything").allSatisfy(r -> {
          assertThat(r.record().mode()).isEqualTo(Mode.READ_WRITE);
          assertThat(r.record().token()).isEqualTo(FencingToken.NONE);
        });

        long lost = System.nanoTime();
        cluster.dead.add("b");
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.controllers.stream()
            .allMatch(c -> c.state().zone().weights().get("app.pharos.test").get("b") == 0));
        IntentRecord intent = cluster.leader().state().intents().values().iterator().next();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get("b").record().token().equals(intent.token()));
        long fencedMs = (System.nanoTime() - lost) / 1_000_000;
        assertThat(held.get("b").record().mode()).as("the real fence landed").isEqualTo(Mode.READ_ONLY);
        assertThat(held.get("a").record().mode()).isEqualTo(Mode.READ_WRITE);
        // the mailbox gets it too, once the leader has force-unlocked the key
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          Object v = cluster.client().getMap(ClusterNames.MODES).get("b");
          return v instanceof String s && verifier.valid(ModeCodec.decode(s))
              && ModeCodec.decode(s).record().token().equals(intent.token());
        });

        // no halt: the watchdog's probes pass for longer than its 30 s window while the outsider
        // keeps locking every key it sees (a controller that declared itself wedged would halt this JVM)
        while (System.nanoTime() - lockedAt < Duration.ofSeconds(35).toNanos()) {
          locker.lockEveryVisibleKey();
          for (PharosController c : cluster.controllers) {
            assertThat(c.view().readiness().get("checks").get("hazelcastDataPlane").asBoolean())
                .as("data plane of " + c.view().status().get("controller").asText()).isTrue();
          }
          await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        }
        assertThat(cluster.controllers.stream().map(c -> c.view().metrics())
            .anyMatch(m -> m.contains("reason=\"not-bytes\""))).as("the smuggled object was refused unread").isTrue();
        System.out.printf("[measure] with forged records planted and %d keys locked: region b lost -> its signed"
            + " read-only record at the agents' listener in %d ms; %d forged records refused; no controller"
            + " halted in %d s of locks%n", locker.locked().size(), fencedMs, refused.get(),
            (System.nanoTime() - lockedAt) / 1_000_000_000);
      }
    }
  }
}
