package io.pharos.testkit.journal;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.journal.AppliedEntry;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.JournalReplica;
import io.pharos.core.journal.Membership;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A decision journal of one replica in memory, with leadership a test controls — for Pharos's own
 * tests and for code of yours that runs against a {@link Journal} (as curator-test's
 * TestingServer stands in for ZooKeeper). Entries are encoded with the journal's codec, decoded
 * within this replica's format version and applied with the logic every controller's replica runs
 * ({@link JournalReplica}): an entry the controllers' journal would refuse (proposed in another
 * term than it is appended in, a step out of order) is refused here too.
 *
 * <p>Leadership: it starts as a follower in term 0 with no leader. {@link #becomeLeader()} starts a
 * new term led by this replica, with its lease; {@link #loseLease()} keeps it leader but no longer
 * acting (a majority stopped answering); {@link #deposedBy} makes another controller leader in a
 * new term; {@link #loseLeader()} leaves no leader known. Leadership listeners are told of every
 * change but a lease change (as in Raft).
 *
 * <p>Proposals: a leader's proposal is appended in the current term at the next index, applied and
 * answered on the proposing thread, listeners first; a non-leader's fails with {@link
 * NotLeaderException}. A leader without its lease still commits here; a real one cut off from its
 * majority cannot, which {@link #holdProposals()} or {@link #timeOutProposals()} play. {@link #failProposals},
 * {@link #timeOutProposals()} and {@link #holdProposals()} change what the next proposals do
 * until {@link #commitProposals()}; held proposals commit on {@link #releaseHeld()} or fail when
 * this replica is deposed. Entries of a format newer than the base version are proposed only
 * when every member reads them ({@link #withMember}).
 *
 * <p>Thread-safe: proposals are applied one at a time; leadership is read without locking.
 */
public final class InMemoryJournal implements Journal, Membership {
  private enum Mode { COMMIT, FAIL, TIME_OUT, HOLD }

  private record Held(JournalEntry entry, int version, CompletableFuture<Proposal> answer) {}

  private final String selfId;
  private final JournalReplica replica;
  private final List<RuntimeException> listenerFailures = new CopyOnWriteArrayList<>();
  private final List<JournalEntry> proposed = new CopyOnWriteArrayList<>();
  private final List<AppliedEntry> applied = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> members = new LinkedHashMap<>();
  private final List<Held> held = new ArrayList<>();
  private volatile long term;
  private volatile long index;
  private volatile Role role = Role.FOLLOWER;
  private volatile String leaderId;
  private volatile boolean lease;
  private volatile boolean everKnewLeader;
  private Mode mode = Mode.COMMIT;
  private Throwable failure;

  /** A journal of controller {@code c1} that reads the current format version. */
  public InMemoryJournal(ControlState initial) {
    this(initial, "c1", JournalCodec.FORMAT_VERSION);
  }

  /**
   * @param selfId this controller's id (the leader id while it leads)
   * @param supportedVersion the newest entry format this replica reads
   */
  public InMemoryJournal(ControlState initial, String selfId, int supportedVersion) {
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.replica = new JournalReplica(Objects.requireNonNull(initial, "initial"), supportedVersion,
        listenerFailures::add);
    replica.onApplied(applied::add);
    members.put(selfId, supportedVersion);
  }

  // ---- leadership a test controls

  /** This replica leads a new term, with its lease. */
  public InMemoryJournal becomeLeader() {
    synchronized (this) {
      term++;
      leaderId = selfId;
      role = Role.LEADER;
      lease = true;
    }
    replica.leadershipChanged();
    return this;
  }

  /** Still leader, but a majority stopped answering: no longer the acting leader. */
  public InMemoryJournal loseLease() {
    lease = false;
    return this;
  }

  /** A majority answers again (this replica must still be the leader). */
  public InMemoryJournal regainLease() {
    if (role != Role.LEADER) {
      throw new IllegalStateException("only a leader holds a lease; this replica is " + role);
    }
    lease = true;
    return this;
  }

  /** Controller {@code newLeader} was elected in a new term; this replica's held proposals fail. */
  public InMemoryJournal deposedBy(String newLeader) {
    List<Held> dropped;
    synchronized (this) {
      term++;
      leaderId = Objects.requireNonNull(newLeader, "newLeader");
      role = Role.FOLLOWER;
      lease = false;
      dropped = new ArrayList<>(held);
      held.clear();
    }
    dropped.forEach(h -> h.answer().completeExceptionally(new NotLeaderException("deposed by " + newLeader
        + " in term " + term + " before the entry was committed")));
    replica.leadershipChanged();
    return this;
  }

  /** No leader known (this replica is cut off from the majority, or an election is running). */
  public InMemoryJournal loseLeader() {
    synchronized (this) {
      leaderId = null;
      role = Role.CANDIDATE;
      lease = false;
    }
    replica.leadershipChanged();
    return this;
  }

  // ---- what proposals do

  /** Proposals commit (the default). */
  public synchronized InMemoryJournal commitProposals() {
    mode = Mode.COMMIT;
    return this;
  }

  /** Proposals fail with {@code cause}, nothing committed. */
  public synchronized InMemoryJournal failProposals(Throwable cause) {
    mode = Mode.FAIL;
    failure = Objects.requireNonNull(cause, "cause");
    return this;
  }

  /** Proposals fail at once as if no majority had answered in time, nothing committed. */
  public synchronized InMemoryJournal timeOutProposals() {
    mode = Mode.TIME_OUT;
    return this;
  }

  /** Proposals stay unanswered until {@link #releaseHeld()} (or until this replica is deposed). */
  public synchronized InMemoryJournal holdProposals() {
    mode = Mode.HOLD;
    return this;
  }

  /** Commits the held proposals in the order they were made, in the current term; returns how many. */
  public int releaseHeld() {
    List<Held> release;
    synchronized (this) {
      release = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : release) {
      if (role != Role.LEADER) {
        h.answer().completeExceptionally(new NotLeaderException("controller " + selfId + " lost its leadership"
            + " before the entry was committed"));
        continue;
      }
      try {
        h.answer().complete(commit(h.entry(), h.version()));
      } catch (RuntimeException | IOException e) {
        h.answer().completeExceptionally(e);
      }
    }
    return release.size();
  }

  // ---- what a test reads

  /** Every entry proposed to this replica, in order, whether committed or not. */
  public List<JournalEntry> proposed() {
    return List.copyOf(proposed);
  }

  /** Every entry applied, in log order, with its outcome. */
  public List<AppliedEntry> applied() {
    return List.copyOf(applied);
  }

  /** Exceptions thrown by listeners (the others were still told). */
  public List<RuntimeException> listenerFailures() {
    return List.copyOf(listenerFailures);
  }

  /** Adds a member whose newest readable entry format is {@code readsUpTo} (null: it never said). */
  public synchronized InMemoryJournal withMember(String id, Integer readsUpTo) {
    members.put(Objects.requireNonNull(id, "id"), readsUpTo);
    return this;
  }

  // ---- Journal

  @Override
  public boolean isActingLeader() {
    return role == Role.LEADER && lease;
  }

  /** The acting leader, or a follower that knows a leader ({@link #loseLeader} cuts it off). */
  @Override
  public boolean inMajority() {
    return isActingLeader() || role == Role.FOLLOWER && leaderId != null;
  }

  /** A single replica has applied all it knows: caught up once it has known a leader. */
  @Override
  public boolean caughtUp() {
    if (leaderId != null) {
      everKnewLeader = true;
    }
    return everKnewLeader;
  }

  @Override
  public long term() {
    return term;
  }

  @Override
  public Optional<String> leaderId() {
    return Optional.ofNullable(leaderId);
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public void onLeadershipChange(Runnable listener) {
    replica.onLeadershipChange(listener);
  }

  @Override
  public ControlState state() {
    return replica.state();
  }

  @Override
  public long lastAppliedIndex() {
    return applied.isEmpty() ? -1 : applied.get(applied.size() - 1).index();
  }

  @Override
  public void onApplied(Consumer<AppliedEntry> listener) {
    replica.onApplied(listener);
  }

  @Override
  public CompletableFuture<Proposal> propose(JournalEntry entry, int formatVersion) {
    Objects.requireNonNull(entry, "entry");
    proposed.add(entry);
    Mode now;
    synchronized (this) {
      if (role != Role.LEADER) {
        return CompletableFuture.failedFuture(new NotLeaderException("controller " + selfId + " is not the leader"
            + " (leader: " + (leaderId == null ? "none" : leaderId) + ")"));
      }
      if (formatVersion > JournalCodec.BASE_VERSION) {
        try {
          GroupFormat.check(formatVersion, GroupFormat.readers(entry, members.keySet()), known());
        } catch (GroupFormat.VersionNotReadableException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      now = mode;
      if (now == Mode.HOLD) {
        CompletableFuture<Proposal> answer = new CompletableFuture<>();
        held.add(new Held(entry, formatVersion, answer));
        return answer;
      }
    }
    return switch (now) {
      case FAIL -> CompletableFuture.failedFuture(failure);
      case TIME_OUT -> CompletableFuture.failedFuture(new TimeoutException("no majority answered the proposal of "
          + entry.getClass().getSimpleName()));
      default -> {
        try {
          yield CompletableFuture.completedFuture(commit(entry, formatVersion));
        } catch (IOException | RuntimeException e) {
          yield CompletableFuture.failedFuture(e);
        }
      }
    };
  }

  private Map<String, Integer> known() {
    Map<String, Integer> known = new LinkedHashMap<>();
    members.forEach((id, v) -> {
      if (v != null) {
        known.put(id, v);
      }
    });
    return known;
  }

  /**
   * Appends in the current term, applies through the codec and the shared replica logic, tells
   * listeners. An entry the leader's vetting refuses fails the proposal, nothing appended.
   */
  private Proposal commit(JournalEntry entry, int formatVersion) throws IOException {
    AppliedEntry a;
    synchronized (this) {
      JournalEntry read = replica.read(JournalCodec.encode(entry, formatVersion));
      // as the Raft leader does before it appends: an entry that would stop the replicas is refused
      replica.vet(read);
      a = replica.apply(read, term, ++index);
      replica.announce(a);
    }
    return Proposal.of(a);
  }

  // ---- Membership

  @Override
  public synchronized List<String> memberIds() {
    return List.copyOf(members.keySet());
  }

  @Override
  public void setMembers(List<ControllerPeer> newMembers) {
    if (!isActingLeader()) {
      throw new NotLeaderException("only the acting leader changes the members");
    }
    synchronized (this) {
      Map<String, Integer> next = new LinkedHashMap<>();
      for (ControllerPeer p : newMembers) {
        next.put(p.id(), members.get(p.id()));
      }
      members.clear();
      members.putAll(next);
    }
  }
}
