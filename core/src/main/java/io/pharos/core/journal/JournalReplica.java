package io.pharos.core.journal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One replica's copy of the journal's state and what applying a committed entry does to it, shared
 * by every journal implementation (the Raft state machine, the in-memory journal) so they behave
 * alike: decode within the supported format version, apply at the entry's own (term, index) —
 * never the leader's current term, since an entry can commit in a later term than it was written
 * in — then tell the listeners. An entry this replica cannot read or apply is not skipped: it
 * throws {@link UnappliableEntryException} and the implementation stops the replica, since
 * skipping it would let this replica's state drift from the others'. So that a broken entry rarely
 * gets that far, the leader {@link #vet vets} each entry before it is appended.
 *
 * <p>{@link #apply} and {@link #restore} synchronize on the replica; an implementation that keeps
 * its own applied position updates it in a block synchronized on the replica, so that a snapshot
 * taken under the same lock pairs a state with its position.
 */
public final class JournalReplica {
  private final int supportedVersion;
  private final List<Consumer<AppliedEntry>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> leadershipListeners = new CopyOnWriteArrayList<>();
  private final Consumer<RuntimeException> listenerFailed;
  private volatile ControlState state;

  /**
   * @param supportedVersion the newest entry format this replica reads
   * @param listenerFailed told when a listener throws (the others still run)
   */
  public JournalReplica(ControlState initial, int supportedVersion, Consumer<RuntimeException> listenerFailed) {
    if (supportedVersion < JournalCodec.BASE_VERSION) {
      throw new IllegalArgumentException("supportedVersion must be at least " + JournalCodec.BASE_VERSION + ", was "
          + supportedVersion);
    }
    this.state = initial;
    this.supportedVersion = supportedVersion;
    this.listenerFailed = listenerFailed;
  }

  public ControlState state() {
    return state;
  }

  public int supportedVersion() {
    return supportedVersion;
  }

  /**
   * Reads a committed entry.
   *
   * @throws UnsupportedVersionException when a newer build wrote it: skipping it would let this
   *     replica diverge, so the caller must stop this replica instead
   */
  public JournalEntry read(byte[] data) throws IOException {
    return JournalCodec.decode(data, supportedVersion);
  }

  /**
   * Applies a committed entry at its (term, index); does not tell listeners yet ({@link #announce}).
   * A refusal by the state's rules is a normal result ({@code accepted == false}).
   *
   * @throws UnappliableEntryException when applying it throws: the state is unchanged, and the
   *     caller must stop this replica instead of going on without the entry
   */
  public synchronized AppliedEntry apply(JournalEntry e, long term, long index) {
    Applied a;
    try {
      a = state.apply(e, term, index);
    } catch (RuntimeException ex) {
      throw new UnappliableEntryException(term, index, "applying " + e.getClass().getSimpleName() + " failed: " + ex,
          ex);
    }
    state = a.state();
    return new AppliedEntry(e, term, index, a);
  }

  /**
   * The leader's check before it appends an entry: applies it to a copy of the current state (in
   * its proposer's term) and throws what applying would throw, so an entry that would stop every
   * replica is refused before it is committed. The state is not changed; a refusal by the
   * state's rules passes (it is refused alike on every replica when applied).
   *
   * @throws UnappliableEntryException when applying it to the current state throws
   */
  public void vet(JournalEntry e) {
    try {
      state.apply(e, e.proposerTerm(), Long.MAX_VALUE / 2);
    } catch (RuntimeException ex) {
      throw new UnappliableEntryException(e.proposerTerm(), -1, "applying " + e.getClass().getSimpleName()
          + " would fail: " + ex, ex);
    }
  }

  /** Replaces the state (a snapshot was loaded). */
  public synchronized void restore(ControlState restored) {
    state = restored;
  }

  public void onApplied(Consumer<AppliedEntry> listener) {
    listeners.add(listener);
  }

  public void onLeadershipChange(Runnable listener) {
    leadershipListeners.add(listener);
  }

  /** Tells every apply listener, outside the replica's lock. */
  public void announce(AppliedEntry applied) {
    for (Consumer<AppliedEntry> l : listeners) {
      try {
        l.accept(applied);
      } catch (RuntimeException ex) {
        listenerFailed.accept(ex);
      }
    }
  }

  /** Tells every leadership listener. */
  public void leadershipChanged() {
    for (Runnable l : leadershipListeners) {
      try {
        l.run();
      } catch (RuntimeException ex) {
        listenerFailed.accept(ex);
      }
    }
  }
}
