package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.controller.cluster.DataPlaneWatchdog;
import io.pharos.controller.cluster.HazelcastMembership;
import io.pharos.controller.cluster.LocalPartitionProbe;
import io.pharos.controller.cluster.TopicBytes;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.model.Mode;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordVerifier;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.attack.KeyLocker;
import io.pharos.testkit.attack.ModeRecordForger;
import io.pharos.testkit.attack.Outsider;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an outsider with a Hazelcast client and the cluster name does to the mode mailbox and the
 * structures controllers write, against a real member configured as a controller's: nothing it
 * writes is believed, nothing it locks blocks a fence or fails the watchdog, nothing it sends makes
 * the member deserialize a class of its choosing.
 */
class ModeMailboxAttackTest {
  static HazelcastInstance member;
  static PharosConfig config;
  static String address;
  static final ControllerMetrics METRICS = new ControllerMetrics("c1", Clock.systemUTC());
  static HazelcastModeStore store;

  @BeforeAll
  static void start() {
    int port = Ports.free();
    address = "127.0.0.1:" + port;
    config = TestConfigs.parse("""
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ]
        controllers:
          group: mailbox-%d
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "%s", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        """.formatted(System.nanoTime(), address) + TestConfigs.securityYaml());
    member = HazelcastMembership.start(config, config.controllers().peers().get(0));
    // a member refuses protected writes until it has counted its side of the cluster once
    await().atMost(Duration.ofSeconds(30)).until(() -> HazelcastMembership.sideHasMajority(member));
    store = new HazelcastModeStore(member, config, TestConfigs.modeSigner(), Clock.systemUTC(), METRICS.errors(),
        Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    store.close();
    member.getLifecycleService().terminate();
  }

  static Outsider outsider() {
    return Outsider.connect(config.controllers().group(), List.of(address));
  }

  static SignedModeRecord mailbox(String region) {
    try {
      Object v = member.getMap(ClusterNames.MODES).get(region);
      return v instanceof String s ? ModeCodec.decode(s) : null;
    } catch (RuntimeException e) {
      return null; // what an outsider put there, and the allow-list refuses to read
    }
  }

  static boolean holdsTheControllersRecord(String region) {
    SignedModeRecord r = mailbox(region);
    return r != null && new ModeRecordVerifier(config.controllers().group(), config.controllerKeys().trusted())
        .valid(r);
  }

  /** Deserializing it would be noticed: it is what an attacker's gadget class stands for. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean deserialized;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized = true;
    }
  }

  @Test
  void theLeaderOverwritesWhatAnOutsiderWroteInsteadOfTreatingItAsNewer() throws Exception {
    double replacedBefore = METRICS.errors().counted("modes.foreign-record-replaced");
    try (Outsider o = outsider()) {
      ModeRecordForger forger = new ModeRecordForger(o, config.controllers().group());
      for (String forged : List.of(forger.legacyRecord("b"), forger.unsigned("b", Mode.READ_ONLY),
          forger.signedWithOwnKey("b", Mode.READ_ONLY), forger.claimingKeyId("b", Mode.READ_ONLY,
              TestConfigs.modeSigner().keyId()))) {
        forger.plant("b", forged);
        store.publish(ControlState.initial(config), 1); // throws StaleLeader if it believed the forgery
        await().atMost(Duration.ofSeconds(10)).until(() -> holdsTheControllersRecord("b"));
      }
      forger.plantObject("b");
      store.publish(ControlState.initial(config), 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> holdsTheControllersRecord("b"));
    }
    assertThat(METRICS.errors().counted("modes.foreign-record-replaced") - replacedBefore).isEqualTo(5);
    assertThat(mailbox("b").record().token().toString()).isEqualTo("0:0");
  }

  @Test
  void aMemberNeverDeserializesAClassAnOutsiderChose() throws Exception {
    List<byte[]> frames = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    member.<Object>getTopic("gadget-test").addMessageListener(new TopicBytes(frames::add, () -> refused.add("x")));
    try (Outsider o = outsider()) {
      o.client().getMap(ClusterNames.MODES).put("a", new Gadget());
      store.publish(ControlState.initial(config), 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> holdsTheControllersRecord("a"));
      o.client().getTopic("gadget-test").publish(new Gadget());
      o.client().getTopic("gadget-test").publish(new byte[] {1, 2, 3});
      await().atMost(Duration.ofSeconds(10)).until(() -> refused.size() == 1 && frames.size() == 1);
    }
    assertThat(Gadget.deserialized).as("the gadget's readObject never ran on the member").isFalse();
    // and the allow-list itself: the member refuses the class even when asked to read it
    Object stored = member.getMap("gadget-map").put("k", new Gadget());
    assertThat(stored).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> member.getMap("gadget-map").executeOnKey("k",
        entry -> entry.getValue().toString())).hasStackTraceContaining("is not allowed");
    assertThat(Gadget.deserialized).isFalse();
  }

  @Test
  void aLockedModeKeyDoesNotHoldTheBroadcastAndIsForceUnlocked() throws Exception {
    List<String> broadcast = new CopyOnWriteArrayList<>();
    try (Outsider listener = outsider(); Outsider o = outsider()) {
      listener.client().<String>getTopic(ClusterNames.MODE_RECORDS).addMessageListener(m ->
          broadcast.add(m.getMessageObject()));
      // a lock of an outsider that left is held until the member cleans up after it (a few seconds)
      await().atMost(Duration.ofSeconds(30)).until(() -> !member.getMap(ClusterNames.MODES).isLocked("a")
          && !member.getMap(ClusterNames.MODES).isLocked("b"));
      KeyLocker locker = new KeyLocker(o).lockModeKeys(List.of("a", "b"));
      assertThat(locker.locked()).containsExactly("pharos.mode/a", "pharos.mode/b");
      double unlockedBefore = METRICS.errors().counted("modes.mailbox-unlocked");
      long t0 = System.nanoTime();
      store.publish(ControlState.initial(config), 2);
      long publishMs = (System.nanoTime() - t0) / 1_000_000;
      await().atMost(Duration.ofSeconds(5)).until(() -> broadcast.stream()
          .filter(j -> ModeCodec.decode(j).record().issuedTerm() == 2).count() == 2);
      long receivedMs = (System.nanoTime() - t0) / 1_000_000;
      await().atMost(Duration.ofSeconds(15)).until(() -> mailbox("a") != null
          && mailbox("a").record().issuedTerm() == 2 && mailbox("b").record().issuedTerm() == 2);
      assertThat(METRICS.errors().counted("modes.mailbox-unlocked") - unlockedBefore).isEqualTo(2);
      System.out.printf("[measure] mode keys locked by an outsider: publish returned in %d ms, both records"
          + " broadcast in %d ms; the mailbox got them after its 1 s timeout and a force-unlock, at %d ms%n",
          publishMs, receivedMs, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void theWatchdogKeepsPassingWhileAnOutsiderLocksEveryKeyItCanSee() throws Exception {
    FakeClock clock = new FakeClock();
    List<String> exits = new CopyOnWriteArrayList<>();
    LocalPartitionProbe probe = new LocalPartitionProbe(member);
    try (DataPlaneWatchdog w = new DataPlaneWatchdog(clock, Duration.ofSeconds(2), Duration.ofSeconds(30), probe,
        exits::add, METRICS.errors()); Outsider o = outsider()) {
      for (int i = 0; i < 3; i++) {
        assertThat(w.tick()).isTrue();
      }
      KeyLocker locker = new KeyLocker(o).lockEveryVisibleKey();
      assertThat(locker.locked()).as("the probe keys written so far").anyMatch(k -> k.startsWith("pharos.watchdog/"));
      for (int i = 0; i < 20; i++) {
        assertThat(w.tick()).as("probe " + i + " with " + locker.locked().size() + " keys locked").isTrue();
        clock.advance(Duration.ofSeconds(2));
        if (i % 5 == 0) {
          locker.lockEveryVisibleKey(); // and the keys written meanwhile
        }
      }
      assertThat(exits).isEmpty();
    }
  }
}
