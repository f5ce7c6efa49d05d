package io.pharos.controller.failover;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import io.pharos.controller.DaemonThreads;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.controller.cluster.HazelcastMembership;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mode store agents listen to (ADR 0011). Each region's record is signed with the controllers'
 * key and then:
 * <ol>
 *   <li><b>broadcast</b> on the {@value ClusterNames#MODE_RECORDS} topic. A topic message published
 *       on a member goes from that member straight to every listener, members and clients alike
 *       (agents' clients connect to every member): no partition owner, no backup, so a frozen or
 *       cut-off member cannot hold it up. This is the fence; {@link #publish} returns once it is sent.
 *   <li>left in the <b>mailbox</b> map {@value ClusterNames#MODES} for agents that connect later,
 *       by a write on its own thread, bounded in time, that nothing waits for ({@link ModeUpdate}
 *       overwrites whatever is not validly signed and keeps a newer signed record). A key that an
 *       outsider locked is force-unlocked when a write times out on it.
 * </ol>
 * A side of the data plane without a majority of the controllers publishes nothing (the split-brain
 * rule of ADR 0006). Agents keep the highest validly signed token, so neither a late mailbox write
 * nor a deposed leader's broadcast can undo a newer decision.
 */
public final class HazelcastModeStore implements ModeStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastModeStore.class);
  /** Longer than a write waiting out a frozen member (its removal after 5 s without heartbeats). */
  static final Duration MAILBOX_TIMEOUT = Duration.ofSeconds(10);

  private final HazelcastInstance hz;
  private final ITopic<String> broadcast;
  private final IMap<String, Object> mailbox;
  private final ModeRecordSigner signer;
  private final String group;
  private final String[] trustedKeys;
  private final long leaseMillis;
  private final Clock clock;
  private final ErrorCounter errors;
  private final Duration mailboxTimeout;
  /** The latest record of each region not yet handed to the mailbox: only the newest is ever written. */
  private final Map<String, SignedModeRecord> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final ExecutorService mailboxThread = DaemonThreads.single("pharos-mode-mailbox");
  private long lastIssuedAt;

  public HazelcastModeStore(HazelcastInstance hz, PharosConfig config, ModeRecordSigner signer, Clock clock,
      ErrorCounter errors) {
    this(hz, config, signer, clock, errors, MAILBOX_TIMEOUT);
  }

  HazelcastModeStore(HazelcastInstance hz, PharosConfig config, ModeRecordSigner signer, Clock clock,
      ErrorCounter errors, Duration mailboxTimeout) {
    this.hz = hz;
    this.broadcast = hz.getTopic(ClusterNames.MODE_RECORDS);
    this.mailbox = hz.getMap(ClusterNames.MODES);
    this.signer = signer;
    this.group = config.controllers().group();
    this.trustedKeys = config.controllerKeys().trusted().stream().map(Ed25519::base64).toArray(String[]::new);
    this.leaseMillis = config.policy().modeLease().toMillis();
    this.clock = clock;
    this.errors = errors;
    this.mailboxTimeout = mailboxTimeout;
  }

  @Override
  public void publish(ControlState state, long term) {
    if (!HazelcastMembership.sideHasMajority(hz)) {
      throw new StaleLeaderException("this controller's side of the Hazelcast cluster has fewer than a majority of"
          + " the controllers: no mode is published from here");
    }
    long issuedAt = nextIssue();
    List<SignedModeRecord> records = new ArrayList<>();
    for (Map.Entry<String, RegionMode> e : state.modes().entrySet()) {
      RegionMode m = e.getValue();
      records.add(signer.sign(new ModeRecord(group, e.getKey(), m.mode(), m.token(), leaseMillis, term, issuedAt,
          cut(m.reason()))));
    }
    for (SignedModeRecord r : records) {
      try {
        broadcast.publish(ModeCodec.encode(r));
      } catch (RuntimeException e) {
        throw new DataPlaneException("broadcasting the mode of " + r.record().region() + " failed: " + e, e);
      }
    }
    for (SignedModeRecord r : records) {
      // a renewal of an older state racing a fence must not take the fence's place in the mailbox
      pending.merge(r.record().region(), r,
          (held, next) -> held.record().relationOf(next.record()) == ModeRecord.Relation.NOT_NEWER ? held : next);
    }
    scheduleDrain();
  }

  /**
   * Issue times only grow within this process, whatever the wall clock does (a step back would
   * otherwise make agents take this leader's renewals for replays). A new leader has a new term.
   */
  private synchronized long nextIssue() {
    lastIssuedAt = Math.max(lastIssuedAt + 1, clock.millis());
    return lastIssuedAt;
  }

  private static String cut(String reason) {
    return reason.length() <= ModeCodec.MAX_REASON_CHARS ? reason : reason.substring(0, ModeCodec.MAX_REASON_CHARS);
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        mailboxThread.execute(() -> {
          drainScheduled.set(false);
          drainMailbox();
        });
      } catch (RejectedExecutionException closed) {
        drainScheduled.set(false);
      }
    }
  }

  /** Writes every pending record to the mailbox, all at once, waiting at most the mailbox timeout. */
  void drainMailbox() {
    Map<String, SignedModeRecord> batch = new LinkedHashMap<>();
    for (String region : List.copyOf(pending.keySet())) {
      SignedModeRecord r = pending.remove(region);
      if (r != null) {
        batch.put(region, r);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    Map<String, CompletableFuture<String>> writes = new LinkedHashMap<>();
    batch.forEach((region, r) -> writes.put(region, submit(region, r)));
    long deadline = System.nanoTime() + mailboxTimeout.toNanos();
    boolean retry = false;
    for (Map.Entry<String, CompletableFuture<String>> w : writes.entrySet()) {
      String region = w.getKey();
      try {
        outcome(region, batch.get(region), w.getValue().get(Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        retry |= unlockIfLocked(region, batch.get(region));
      } catch (ExecutionException e) {
        errors.record(LOG, "modes.mailbox", "writing the mode of " + region + " to the mailbox failed; the broadcast"
            + " stands, the next renewal writes it again", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (retry) {
      scheduleDrain();
    }
  }

  private CompletableFuture<String> submit(String region, SignedModeRecord r) {
    try {
      return mailbox.submitToKey(region, new ModeUpdate(r, group, trustedKeys)).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void outcome(String region, SignedModeRecord written, String result) {
    if (result.startsWith(ModeUpdate.REPLACED_FOREIGN)) {
      errors.count("modes.foreign-record-replaced");
      LOG.warn("the mode mailbox held a record for '{}' that the controllers did not sign ({}): replaced with"
          + " token {}", region, result.substring(ModeUpdate.REPLACED_FOREIGN.length()), written.record().token());
    } else if (result.startsWith(ModeUpdate.KEPT)) {
      errors.count("modes.newer-in-mailbox");
      LOG.warn("the mode mailbox holds a newer signed record for '{}' ({}) than this controller's {}: a newer"
          + " leader has published", region, result.substring(ModeUpdate.KEPT.length()), written.record().token());
    }
  }

  /**
   * A write that did not answer in time: a frozen owner, or a key locked by a client (a lock makes
   * every write wait). A locked key is force-unlocked (controllers never lock it) and written again.
   *
   * @return whether the record was put back to be written again at once
   */
  private boolean unlockIfLocked(String region, SignedModeRecord r) {
    boolean locked;
    try {
      locked = mailbox.isLocked(region);
    } catch (RuntimeException e) {
      errors.record(LOG, "modes.mailbox-timeout", "the mode mailbox did not answer a write for " + region
          + " within " + mailboxTimeout.toMillis() + " ms (the broadcast stands)", e);
      return false;
    }
    if (!locked) {
      errors.record(LOG, "modes.mailbox-timeout", "the mode mailbox did not answer a write for " + region
          + " within " + mailboxTimeout.toMillis() + " ms (the broadcast stands)",
          new TimeoutException("no answer"));
      return false;
    }
    try {
      mailbox.forceUnlock(region);
    } catch (RuntimeException e) {
      errors.record(LOG, "modes.mailbox-unlock", "could not unlock the mode mailbox key " + region, e);
      return false;
    }
    errors.count("modes.mailbox-unlocked");
    LOG.warn("the mode mailbox key '{}' was locked by someone (controllers never lock it): force-unlocked", region);
    pending.putIfAbsent(region, r);
    return true;
  }

  @Override
  public void close() {
    mailboxThread.shutdownNow();
  }
}
