package io.pharos.core.journal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * This controller's seat in the decision journal: its replica of the committed {@link
 * ControlState}, its view of the leadership, and the only way to change anything — proposing an
 * entry, which takes effect once a majority committed it and the state machine accepted it. The
 * controller implements it over Raft; {@code io.pharos.testkit.journal.InMemoryJournal} is a
 * single replica with leadership a test controls.
 */
public interface Journal extends Leadership {
  /** The state after every entry applied so far. Cheap and non-blocking. */
  ControlState state();

  /**
   * Whether this replica has been current since it started: it has known a leader and applied
   * everything it knew to be committed. Once true it stays true (a replica that later loses the
   * majority keeps its last committed state rather than failing every reader).
   */
  boolean caughtUp();

  /** Index of the last applied entry (-1 before any). */
  long lastAppliedIndex();

  /** Proposes {@code entry} in its own format version ({@link JournalCodec#formatVersion}). */
  default CompletableFuture<Proposal> propose(JournalEntry entry) {
    return propose(entry, JournalCodec.formatVersion(entry));
  }

  /**
   * Proposes {@code entry} to this controller's own replica, written as {@code formatVersion}.
   * Completes with the proposal once committed and applied (accepted or refused); fails with
   * {@link NotLeaderException} when this controller is not the leader or the entry was not
   * committed, with {@link GroupFormat.VersionNotReadableException} before anything is committed
   * when some member does not read {@code formatVersion}, and with a timeout when no majority
   * answers. Never blocks the caller.
   */
  CompletableFuture<Proposal> propose(JournalEntry entry, int formatVersion);

  /** Calls {@code listener} with every applied entry, in log order, on the applying thread. */
  void onApplied(Consumer<AppliedEntry> listener);
}
