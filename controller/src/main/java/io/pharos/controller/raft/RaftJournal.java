package io.pharos.controller.raft;

import io.pharos.controller.Failures;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.AppliedEntry;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.JournalReplica;
import io.pharos.core.journal.Membership;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller's seat in the Raft group (Apache Ratis): the {@link Journal} the acting code
 * uses. The Raft leader acts only while {@link #isActingLeader()} ({@link LeaderLease}). Every
 * proposal goes to this controller's own server only, so a controller that lost leadership can
 * never get an entry in through its successor. The parts: {@link RaftSettings} (server
 * properties), {@link RaftTls}, {@link StorageGuard} and {@link GroupCheck} (start-up),
 * {@link RaftMembership}, {@link CatchUp}, {@link PeerBackoff}, {@link MemberVersions}.
 */
public final class RaftJournal implements Journal, Membership, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftJournal.class);
  private static final java.util.logging.Logger GRPC_JUL =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  private final ControllersConfig controllers;
  private final ControllerPeer self;
  private final Path storageDir;
  private final JournalStateMachine stateMachine;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final Parameters parameters;
  private final ErrorCounter errors;
  private final LeaderLease lease;
  private final CatchUp catchUp = new CatchUp();
  private final PeerBackoff backoff;
  private final RaftMembership membership;
  private final MemberVersions versions;
  private final PeerIdentities identities;
  private final RaftTls.Transport transport;
  private final Consumer<org.apache.ratis.conf.RaftProperties> tuning;
  private final Proposer proposer;
  private volatile RaftServer server;

  public RaftJournal(ControllersConfig controllers, ControllerPeer self, Path dataDir, ControlState initial,
      ErrorCounter errors) {
    this(controllers, self, dataDir, initial, JournalCodec.FORMAT_VERSION, errors);
  }

  /** @param supportedVersion the newest journal format this controller reads (tests play older builds) */
  RaftJournal(ControllersConfig controllers, ControllerPeer self, Path dataDir, ControlState initial,
      int supportedVersion, ErrorCounter errors) {
    this(controllers, self, dataDir, initial, supportedVersion, errors, p -> { });
  }

  /** @param tuning changes the Raft server properties (tests: frequent snapshots, small log segments) */
  RaftJournal(ControllersConfig controllers, ControllerPeer self, Path dataDir, ControlState initial,
      int supportedVersion, ErrorCounter errors, Consumer<org.apache.ratis.conf.RaftProperties> tuning) {
    this.tuning = tuning;
    GRPC_JUL.setLevel(java.util.logging.Level.WARNING);
    this.controllers = controllers;
    this.self = self;
    this.storageDir = dataDir.resolve(self.id());
    this.stateMachine = new JournalStateMachine(initial, supportedVersion, errors);
    this.selfId = RaftPeerId.valueOf(self.id());
    this.group = RaftSettings.group(controllers);
    this.errors = errors;
    this.transport = RaftTls.Transport.of(controllers);
    this.identities = new PeerIdentities(controllers.peers());
    identities.watch(this::membersForTrust);
    this.parameters = RaftTls.parameters(controllers, self, identities, e -> errors.record(LOG, "raft.tls-refused",
        "refused a certificate on a Raft connection", e));
    this.lease = new LeaderLease(self.id(), RaftSettings.leaseMs(controllers));
    this.backoff = new PeerBackoff(selfId, errors);
    this.membership = new RaftMembership(controllers, group.getGroupId(), selfId, parameters);
    this.versions = new MemberVersions(group.getGroupId(), self.id(), supportedVersion, parameters, errors);
    this.proposer = new Proposer(group.getGroupId(), selfId, versions, this::appliers);
  }

  public void start() {
    start(false);
  }

  /**
   * Starts the Raft server. With {@code join}, a new controller starts as an empty member waiting
   * for the leader to add it (Raft configuration change) instead of as a member of the configured
   * peer set.
   */
  public void start(boolean join) {
    transport.log(LOG, self);
    StorageGuard.Outcome storage = StartChecks.run(controllers, self, storageDir, group, parameters, join, errors);
    try {
      server = RaftServer.newBuilder().setServerId(selfId)
          .setGroup(join ? RaftGroup.valueOf(group.getGroupId()) : group).setStateMachine(stateMachine)
          .setProperties(properties()).setParameters(parameters)
          .setOption(RaftStorage.StartupOption.RECOVER).build();
      server.start();
      versions.start(() -> {
        try {
          return appliers();
        } catch (IOException e) {
          return List.of();
        }
      });
      if (storage == StorageGuard.Outcome.EXISTING) {
        membership.warnOnConfigDrift(division().getRaftConf().getCurrentPeers());
      }
    } catch (IOException | CompletionException e) {
      Throwable cause = Failures.unwrap(e);
      close();
      throw new RaftStartException("the Raft storage of controller " + self.id() + " at " + storageDir
          + " cannot be used: " + cause.getMessage() + ". It is never reformatted automatically. Restore a backup,"
          + " or replace this controller under a new id (remove it from the members, start the new one with"
          + " --join, add it): docs/runbooks.md, 'Replacing a controller's storage'.", cause);
    }
  }

  private org.apache.ratis.conf.RaftProperties properties() {
    org.apache.ratis.conf.RaftProperties p = RaftSettings.server(controllers, self, storageDir);
    tuning.accept(p);
    return p;
  }

  /** The group's members and those of a change in progress, for the TLS identity check. */
  private java.util.Collection<RaftPeer> membersForTrust() {
    RaftServer s = server;
    if (s == null) {
      return List.of();
    }
    try {
      var conf = division().getRaftConf();
      Set<RaftPeer> all = new LinkedHashSet<>(conf.getAllPeers());
      all.addAll(conf.getAllPeers(RaftPeerRole.LISTENER));
      return all;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** What protects this controller's Raft port, for {@code /ready} and the start-up log. */
  public String transport() {
    return transport.description();
  }


  private RaftServer.Division division() throws IOException {
    return server.getDivision(group.getGroupId());
  }

  /** This controller's division, or null when the server is not running or cannot be read (counted). */
  private RaftServer.Division divisionOrNull(String kind) {
    RaftServer s = server;
    if (s == null) {
      return null;
    }
    try {
      return s.getDivision(group.getGroupId());
    } catch (IOException | RuntimeException e) {
      errors.record(LOG, kind, "could not read this controller's Raft division", e);
      return null;
    }
  }

  private DivisionInfo info() {
    RaftServer.Division d = divisionOrNull("raft.division");
    return d == null ? null : d.getInfo();
  }

  @Override
  public boolean isActingLeader() {
    RaftServer.Division d = divisionOrNull("raft.lease");
    return d != null && lease.holds(d.getInfo(), d.getRaftConf());
  }

  @Override
  public long term() {
    DivisionInfo i = info();
    return i == null ? 0 : i.getCurrentTerm();
  }

  @Override
  public Optional<String> leaderId() {
    DivisionInfo i = info();
    return i == null || i.getLeaderId() == null ? Optional.empty() : Optional.of(i.getLeaderId().toString());
  }

  @Override
  public Role role() {
    DivisionInfo i = info();
    if (i == null) {
      return Role.STOPPED;
    }
    return switch (i.getCurrentRole()) {
      case LEADER -> Role.LEADER;
      case CANDIDATE -> Role.CANDIDATE;
      case LISTENER -> Role.LISTENER;
      default -> Role.FOLLOWER;
    };
  }

  @Override
  public ControlState state() {
    return stateMachine.replica().state();
  }

  @Override
  public long lastAppliedIndex() {
    DivisionInfo i = info();
    return i == null ? -1 : i.getLastAppliedIndex();
  }

  @Override
  public void onApplied(Consumer<AppliedEntry> listener) {
    stateMachine.replica().onApplied(listener);
  }

  @Override
  public void onLeadershipChange(Runnable listener) {
    stateMachine.replica().onLeadershipChange(listener);
  }

  /**
   * See {@link CatchUp}: until true, the embedded DNS server answers SERVFAIL rather than old
   * answers. False again once this replica stopped at an entry it cannot apply ({@link #halted}).
   */
  @Override
  public boolean caughtUp() {
    if (stateMachine.halted() != null) {
      return false;
    }
    RaftServer.Division d = divisionOrNull("raft.catch-up");
    return catchUp.caughtUp(d, d != null && d.getInfo().getLeaderId() != null);
  }

  /**
   * Whether this controller is with a majority of the group right now: the acting leader holding
   * its lease, or a follower that heard from its leader within the longest election timeout. A
   * controller that is not (cut off, or the group below quorum) changes nothing and serves the last
   * committed zone (fail-static).
   */
  @Override
  public boolean inMajority() {
    DivisionInfo i = info();
    if (i == null || i.getLeaderId() == null) {
      return false;
    }
    if (i.isLeader()) {
      return isActingLeader();
    }
    var role = i.getRoleInfoProto();
    return role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
        && role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs()
            < controllers.electionTimeoutMax().toMillis();
  }

  /** Whether the Raft server has stopped for good (Ratis closes it on a fatal error). */
  public boolean closed() {
    DivisionInfo i = info();
    return server != null && i != null && !i.isAlive();
  }

  /**
   * Why this replica stopped for good, if it did: a committed entry it cannot apply (it never
   * skips one). The controller then exits with its own code and is not ready meanwhile.
   */
  public Optional<String> halted() {
    JournalStateMachine.Halt h = stateMachine.halted();
    return h == null ? Optional.empty() : Optional.of(h.reason());
  }

  /** Follower id to milliseconds since its last answer, when this controller leads. */
  public Map<String, Long> followerLastContact() {
    DivisionInfo i = info();
    return i == null ? Map.of() : LeaderLease.followerLastContact(i);
  }

  /**
   * Commit and apply progress, and each follower's lag when leading. Ratis lists a leader's
   * followers in the same order in its role info and its match indices (both from its log
   * appenders); when the two lists differ in length (a membership change in between), the lags
   * are left out rather than paired wrongly.
   */
  public RaftProgress progress() {
    RaftServer.Division d = divisionOrNull("raft.progress");
    if (d == null) {
      return RaftProgress.NONE;
    }
    DivisionInfo i = d.getInfo();
    long commit = d.getRaftLog().getLastCommittedIndex();
    Map<String, Long> lag = new java.util.LinkedHashMap<>();
    if (i.isLeader() && i.getRoleInfoProto().hasLeaderInfo()) {
      var followers = i.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
      long[] match = i.getFollowerMatchIndices();
      long last = d.getRaftLog().getLastEntryTermIndex() == null ? commit
          : d.getRaftLog().getLastEntryTermIndex().getIndex();
      if (match != null && match.length == followers.size()) {
        for (int n = 0; n < match.length; n++) {
          lag.put(followers.get(n).getId().getId().toStringUtf8(), Math.max(0, last - match[n]));
        }
      }
    }
    return new RaftProgress(commit, i.getLastAppliedIndex(), lag);
  }

  /** See {@link PeerBackoff}; called every 250 ms by the Raft watch. */
  public void resetPeerBackoff() {
    RaftServer.Division d = divisionOrNull("raft.backoff-reset");
    if (d != null) {
      backoff.reset(d);
    }
  }

  /**
   * Proposes an entry to this controller's own server ({@link Proposer}: an entry newer than the
   * base format only when every member reads it; a caller's callbacks never on Ratis's threads).
   */
  @Override
  public CompletableFuture<Proposal> propose(JournalEntry entry, int formatVersion) {
    RaftServer s = server;
    if (s == null) {
      return CompletableFuture.failedFuture(new NotLeaderException("the Raft server is not running"));
    }
    return proposer.propose(s, entry, formatVersion);
  }

  /** Every member that applies the log now: voters of both halves of a membership change, and listeners. */
  private List<RaftPeer> appliers() throws IOException {
    var conf = division().getRaftConf();
    Set<RaftPeer> all = new LinkedHashSet<>(conf.getCurrentPeers());
    all.addAll(conf.getPreviousPeers());
    all.addAll(conf.getCurrentPeers(RaftPeerRole.LISTENER));
    return new ArrayList<>(all);
  }

  @Override
  public void setMembers(List<ControllerPeer> members) throws IOException {
    if (!isActingLeader()) {
      throw new NotLeaderException("only the acting leader changes the members");
    }
    identities.allow(members);
    membership.setMembers(currentMembers(), members);
  }

  @Override
  public List<String> memberIds() throws IOException {
    return currentMembers().stream().map(p -> p.getId().toString()).toList();
  }

  /** The group's current members according to Raft (which wins over the config file). */
  public List<RaftPeer> currentMembers() throws IOException {
    return new ArrayList<>(division().getRaftConf().getCurrentPeers());
  }

  public File storageDir() {
    return storageDir.toFile();
  }

  @Override
  public void close() {
    versions.close();
    RaftServer s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        errors.record(LOG, "raft.close", "closing the Raft server failed (closing anyway)", e);
      }
    }
    proposer.close();
  }
}
