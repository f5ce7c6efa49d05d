package io.pharos.agent.mode;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pharos.agent.transport.ClusterConnection;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.wire.ModeCodec;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the agent's region's signed mode records: the {@value #TOPIC} topic the acting leader
 * broadcasts every record on (the fence and every renewal reach the agent straight from the
 * leader's member, whichever member is frozen or cut off), and the {@value #MAP} mailbox map, read
 * after every (re)connect and followed by an entry listener, for what was decided while the agent
 * could not hear. Every record goes through {@link ModeState}, which keeps only what the
 * controllers signed. Agents only read.
 */
public final class ModeWatcher {
  /** Map of region name to its latest signed record ({@link ModeCodec} JSON). Fixed contract with the controllers. */
  public static final String MAP = "pharos.mode";
  /** Topic of every signed record the leader publishes ({@link ModeCodec} JSON). Fixed contract with the controllers. */
  public static final String TOPIC = "pharos.mode.records";
  private static final Logger LOG = LoggerFactory.getLogger(ModeWatcher.class);
  /** A kind of refused record is logged at most this often (an outsider can send any number). */
  static final long LOG_EVERY_NANOS = 60_000_000_000L;

  /** A failed read or registration is retried this often while the connection stays up. */
  static final long RETRY_MS = 1000;

  private final Vertx vertx;
  private final ClusterConnection connection;
  private final String region;
  private final ModeState state;
  private final AtomicLong malformed = new AtomicLong();
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
  private volatile HazelcastInstance registeredOn;

  public ModeWatcher(Vertx vertx, ClusterConnection connection, String region, ModeState state) {
    this.vertx = vertx;
    this.connection = connection;
    this.region = region;
    this.state = state;
    connection.onConnectionChange(up -> {
      if (up) {
        refresh();
      }
    });
  }

  /** Records that could not be decoded (not text, not JSON, too long, missing fields). */
  public long malformed() {
    return malformed.get();
  }

  private void refresh() {
    connection.<Object>callAsync(hz -> {
      IMap<String, Object> map = hz.getMap(MAP);
      if (hz != registeredOn) {
        // The client re-registers its listeners by itself after a reconnect; a replaced client
        // (see ClusterConnection) needs registrations of its own
        hz.<Object>getTopic(TOPIC).addMessageListener(m -> accept(HazelcastText.of(m), "broadcast"));
        map.addEntryListener(new Listener(), region, true);
        registeredOn = hz;
      }
      return map.getAsync(region);
    }).onSuccess(value -> {
      if (value != null) {
        accept(value instanceof String s ? s : null, "mailbox");
      }
    }).onFailure(e -> {
      LOG.warn("could not read the mode of region '{}' ({}); retrying", region, e.toString());
      vertx.setTimer(RETRY_MS, id -> {
        if (connection.connected()) {
          refresh();
        } // else the next connect refreshes
      });
    });
  }

  /**
   * One record as received (null when the payload was not text). May run on a Hazelcast event
   * thread: {@link ModeState} is thread-safe.
   */
  void accept(String json, String via) {
    SignedModeRecord record;
    try {
      if (json == null) {
        throw new IllegalArgumentException("not a mode record: the payload is not text");
      }
      record = ModeCodec.decode(json);
    } catch (IllegalArgumentException e) {
      malformed.incrementAndGet();
      logLimited("malformed", "ignoring a malformed mode record ({}): {}", via, e.getMessage());
      return;
    }
    ModeState.Offer outcome = state.offer(record);
    switch (outcome) {
      case ACCEPTED -> LOG.info("region '{}' mode {} at token {} (signed by {}, {}): {}", region,
          record.record().mode().label(), record.record().token(), record.keyId(), via, record.record().reason());
      case IGNORED_OLDER -> logLimited("older", "ignoring a mode record with older token {} for region '{}' ({})",
          record.record().token(), region, via);
      case REJECTED_UNSIGNED, REJECTED_UNKNOWN_KEY, REJECTED_BAD_SIGNATURE, REJECTED_OTHER_GROUP ->
          logLimited(outcome.name(), "refusing a mode record for region '{}' claiming token {} ({}): {}",
              region, record.record().token(), via, outcome.name().toLowerCase().replace('_', ' '));
      default -> { }
    }
  }

  private void logLimited(String kind, String format, Object... args) {
    long now = System.nanoTime();
    Long last = lastLogged.get(kind);
    if (last == null || now - last >= LOG_EVERY_NANOS) {
      lastLogged.put(kind, now);
      LOG.warn(format, args);
    }
  }

  private final class Listener implements EntryAddedListener<String, Object>, EntryUpdatedListener<String, Object> {
    @Override
    public void entryAdded(EntryEvent<String, Object> event) {
      accept(HazelcastText.of(event), "mailbox");
    }

    @Override
    public void entryUpdated(EntryEvent<String, Object> event) {
      accept(HazelcastText.of(event), "mailbox");
    }
  }
}
