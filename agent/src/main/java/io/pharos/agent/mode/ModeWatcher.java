package io.pharos.agent.mode;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pharos.agent.transport.ClusterConnection;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.wire.ModeCodec;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the agent's region in the {@value #MAP} map that the controllers write: an entry
 * listener (added/updated) for pushes, and a read after every (re)connect for whatever changed
 * while the agent could not hear. Agents only read this map.
 */
public final class ModeWatcher {
  /** Map of region name to {@link ModeCodec} JSON. Fixed contract with the controllers. */
  public static final String MAP = "pharos.mode";
  private static final Logger LOG = LoggerFactory.getLogger(ModeWatcher.class);

  /** A failed read or registration is retried this often while the connection stays up. */
  static final long RETRY_MS = 1000;

  private final Vertx vertx;
  private final ClusterConnection connection;
  private final String region;
  private final ModeState state;
  private final AtomicLong malformed = new AtomicLong();
  private volatile UUID registration;
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

  /** Records that could not be decoded. */
  public long malformed() {
    return malformed.get();
  }

  private void refresh() {
    connection.<String>callAsync(hz -> {
      IMap<String, String> map = hz.getMap(MAP);
      if (registration == null || hz != registeredOn) {
        // The client re-registers its listeners by itself after a reconnect; a replaced client
        // (see ClusterConnection) needs a registration of its own
        registration = map.addEntryListener(new Listener(), region, true);
        registeredOn = hz;
      }
      return map.getAsync(region);
    }).onSuccess(json -> {
      if (json != null) {
        accept(json);
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

  /** May run on a Hazelcast event thread: {@link ModeState} is thread-safe. */
  void accept(String json) {
    ModeRecord record;
    try {
      record = ModeCodec.decode(json);
    } catch (IllegalArgumentException e) {
      malformed.incrementAndGet();
      LOG.warn("ignoring a malformed mode record for region '{}': {}", region, e.getMessage());
      return;
    }
    ModeState.Offer outcome = state.offer(record);
    switch (outcome) {
      case IGNORED_OLDER -> LOG.warn("ignoring mode record with older token {} for region '{}' (fenced)",
          record.token(), region);
      case ACCEPTED -> LOG.info("region '{}' mode {} at token {}: {}", region, record.mode().label(),
          record.token(), record.reason());
      default -> { }
    }
  }

  private final class Listener
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      accept(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      accept(event.getValue());
    }
  }
}
