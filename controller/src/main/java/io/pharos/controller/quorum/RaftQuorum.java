package io.pharos.controller.quorum;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.JournalEntry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This controller's seat in the Raft group (Apache Ratis). The Raft leader is the one controller
 * that acts, and only while {@link #isActingLeader()}: leader, ready (it has applied its own
 * term's first entry) and holding a lease (a majority answered within the lease window). Every
 * proposal goes to this controller's own server only, so a controller that lost leadership can
 * never get an entry in through its successor.
 */
public final class RaftQuorum implements AutoCloseable {
  static final double LEASE_RATIO = 0.9;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RaftQuorum.class);
  private static final java.util.logging.Logger GRPC_JUL =
      java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

  private final ControllersConfig controllers;
  private final ControllerPeer self;
  private final Path storageDir;
  private final PharosStateMachine stateMachine;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();
  private final long leaseMs;
  private final org.apache.ratis.conf.Parameters parameters;
  private RaftServer server;
  private volatile boolean caughtUp;
  private java.lang.reflect.Method resetBackoff;

  public RaftQuorum(ControllersConfig controllers, ControllerPeer self, Path dataDir, PharosStateMachine stateMachine) {
    GRPC_JUL.setLevel(java.util.logging.Level.WARNING);
    this.controllers = controllers;
    this.self = self;
    this.storageDir = dataDir.resolve(self.id());
    this.stateMachine = stateMachine;
    this.selfId = RaftPeerId.valueOf(self.id());
    List<RaftPeer> peers = new ArrayList<>();
    for (ControllerPeer p : controllers.peers()) {
      peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.raft().toString()).build());
    }
    this.group = RaftGroup.valueOf(groupId(controllers.group()), peers);
    this.leaseMs = (long) (controllers.electionTimeoutMin().toMillis() * LEASE_RATIO);
    this.parameters = new org.apache.ratis.conf.Parameters();
    if (controllers.tls() != null) {
      org.apache.ratis.grpc.GrpcConfigKeys.TLS.setConf(parameters, tlsConfig(controllers.tls()));
    }
  }

  /** Mutual TLS for every Raft channel (server, client, admin) from the configured PEM files. */
  static org.apache.ratis.grpc.GrpcTlsConfig tlsConfig(io.pharos.core.config.ControllersConfig.Tls tls) {
    for (String[] f : new String[][] {{"certFile", tls.certFile()}, {"keyFile", tls.keyFile()},
        {"caFile", tls.caFile()}}) {
      if (!new File(f[1]).canRead()) {
        throw new QuorumStartException("controllers.tls." + f[0] + ": cannot read " + f[1], null);
      }
    }
    return new org.apache.ratis.grpc.GrpcTlsConfig(new File(tls.keyFile()), new File(tls.certFile()),
        new File(tls.caFile()), true);
  }

  /** The Raft group id is derived from the group name, so every controller of a group agrees. */
  public static RaftGroupId groupId(String group) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("pharos:" + group).getBytes(StandardCharsets.UTF_8)));
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
    RaftProperties p = new RaftProperties();
    GrpcConfigKeys.Server.setHost(p, self.raft().host());
    GrpcConfigKeys.Server.setPort(p, self.raft().port());
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
    long min = controllers.electionTimeoutMin().toMillis();
    long max = controllers.electionTimeoutMax().toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(min, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(max, TimeUnit.MILLISECONDS));
    // a cold start on busy cores delays the first heartbeats: give the first election more room
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(min * 3, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(max * 3, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    // a leader that lost its majority's heartbeats does not campaign for this long (Ratis: 10 s). At
    // 5 s it cost a whole leader failover (measured: a new leader stepped down under load after 1 s,
    // the survivor's log was behind so only the stepped-down one could win, and it sat out 5 s).
    // Pre-vote already keeps a cut-off controller from disrupting the others: one election timeout.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(max, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(p, LEASE_RATIO);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 2_000);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // measured (docs/adr/0005): the defaults add a metadata entry (replicated and fsynced) after
    // every commit and chain each follower append behind the previous fsync; both off took a
    // commit on loopback from ~12 ms to ~4 ms p50 without weakening fsync durability
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    // the default retries a follower that was down every 5 s after 20 s: a controller restarted
    // after that waited up to 5 s for its leader (measured, leader-failover bench), campaigning in
    // the meantime. 300 ms (randomised by Ratis) costs a refused connect per follower on loopback.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,20, 300ms,1000000000");
    StorageGuard.Outcome storage =
        StorageGuard.check(storageDir, group.getGroupId().getUuid().toString(), self.id(), controllers);
    if (join && storage != StorageGuard.Outcome.NEW) {
      throw new QuorumStartException("--join is for a new controller with empty storage; " + storageDir
          + " already holds this controller's log: start it without --join", null);
    }
    if (storage == StorageGuard.Outcome.NEW && !join) {
      GroupCheck.refuseIfRunningGroupDiffers(controllers, self.id(), group, parameters);
    }
    try {
      server = RaftServer.newBuilder().setServerId(selfId)
          .setGroup(join ? RaftGroup.valueOf(group.getGroupId()) : group).setStateMachine(stateMachine)
          .setProperties(p).setParameters(parameters).setOption(RaftStorage.StartupOption.RECOVER).build();
      server.start();
      if (storage == StorageGuard.Outcome.EXISTING) {
        warnOnConfigDrift();
      }
    } catch (IOException | CompletionException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      close();
      throw new QuorumStartException("the Raft storage of controller " + self.id() + " at " + storageDir
          + " cannot be used: " + cause.getMessage() + ". It is never reformatted automatically. Restore a backup,"
          + " or replace this controller under a new id (remove it from the members, start the new one with"
          + " --join, add it): docs/runbooks.md, 'Replacing a controller's storage'.", cause);
    }
  }

  /**
   * gRPC keeps a channel to a peer that was unreachable in exponential reconnect backoff (growing to
   * minutes) and fails calls on it at once meanwhile. Measured in the leader-failover bench: a vote
   * request to a controller restarted seconds earlier failed UNAVAILABLE, the election round was
   * lost and the new leader came a timeout later (p99 5.8 s after a kill). Called every 250 ms, this
   * makes the channels to every other member retry their connection at once.
   */
  public void resetPeerBackoff() {
    RaftServer s = server;
    if (s == null || !(s.getServerRpc() instanceof org.apache.ratis.grpc.server.GrpcServicesImpl rpc)) {
      return;
    }
    try {
      for (RaftPeer peer : s.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers()) {
        if (!peer.getId().equals(selfId)) {
          Object client = rpc.getProxies().getProxy(peer.getId());
          if (resetBackoff == null) {
            // GrpcServerProtocolClient is package-private in Ratis 3.3: its public method is
            // reached by reflection (class path, no module boundary)
            java.lang.reflect.Method m = client.getClass().getMethod("resetConnectBackoff");
            m.setAccessible(true);
            resetBackoff = m;
          }
          resetBackoff.invoke(client);
        }
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not reset the reconnect backoff of the Raft channels", e);
    }
  }

  private void warnOnConfigDrift() throws IOException {
    var conf = server.getDivision(group.getGroupId()).getRaftConf();
    var diffs = GroupCheck.configDrift(controllers, new ArrayList<>(conf.getCurrentPeers()));
    if (!diffs.isEmpty()) {
      LOG.warn("the config's controllers.peers differ from the Raft group's members, which win: {}",
          String.join("; ", diffs));
    }
  }

  private DivisionInfo info() {
    try {
      return server == null ? null : server.getDivision(group.getGroupId()).getInfo();
    } catch (IOException e) {
      return null;
    }
  }

  public boolean isLeader() {
    DivisionInfo i = info();
    return i != null && i.isLeader();
  }

  public long term() {
    DivisionInfo i = info();
    return i == null ? 0 : i.getCurrentTerm();
  }

  public Optional<String> leaderId() {
    DivisionInfo i = info();
    return i == null || i.getLeaderId() == null ? Optional.empty() : Optional.of(i.getLeaderId().toString());
  }

  public String role() {
    DivisionInfo i = info();
    return i == null ? "STOPPED" : i.getCurrentRole().name();
  }

  /**
   * Leader, ready, and a majority of the group (itself included) answered within the lease
   * window. Ratis keeps its own lease private; this is the same rule measured from outside.
   */
  public boolean isActingLeader() {
    DivisionInfo i = info();
    if (i == null || !i.isLeader() || !i.isLeaderReady()) {
      return false;
    }
    RoleInfoProto role = i.getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return false;
    }
    java.util.Set<String> fresh = new java.util.HashSet<>();
    fresh.add(self.id());
    for (var f : role.getLeaderInfo().getFollowerInfoList()) {
      if (f.getLastRpcElapsedTimeMs() < leaseMs) {
        fresh.add(f.getId().getId().toStringUtf8());
      }
    }
    // the majority is Raft's (which wins over the config file), in both halves of a membership change
    try {
      var conf = server.getDivision(group.getGroupId()).getRaftConf();
      return majority(conf.getCurrentPeers(), fresh) && (conf.getPreviousPeers().isEmpty()
          || majority(conf.getPreviousPeers(), fresh));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean majority(java.util.Collection<RaftPeer> voters, java.util.Set<String> fresh) {
    long heard = voters.stream().filter(p -> fresh.contains(p.getId().toString())).count();
    return heard * 2 > voters.size();
  }

  /**
   * Whether this controller's state has been current since it started: it has known a leader and
   * applied everything it knew to be committed. Until then its embedded DNS server answers SERVFAIL
   * rather than old answers (for example while replaying its journal after a restart).
   */
  public boolean caughtUp() {
    if (caughtUp) {
      return true;
    }
    try {
      if (server == null || leaderId().isEmpty()) {
        return false;
      }
      var division = server.getDivision(group.getGroupId());
      // once caught up, it stays so: a controller that later loses the majority keeps serving the
      // last committed state (fail-static) rather than failing every resolver
      caughtUp = division.getInfo().getLastAppliedIndex() >= division.getRaftLog().getLastCommittedIndex();
      return caughtUp;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the Raft server has stopped for good (Ratis closes it on a fatal error). */
  public boolean closed() {
    DivisionInfo i = info();
    return server != null && i != null && !i.isAlive();
  }

  /** Follower id to milliseconds since its last answer, when this controller leads. */
  public java.util.Map<String, Long> followerLastContact() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    DivisionInfo i = info();
    if (i != null && i.isLeader() && i.getRoleInfoProto().hasLeaderInfo()) {
      for (var f : i.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
        out.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
      }
    }
    return out;
  }

  public long lastAppliedIndex() {
    DivisionInfo i = info();
    return i == null ? -1 : i.getLastAppliedIndex();
  }

  /**
   * Proposes an entry to this controller's own server. Fails with {@link NotLeaderException} when
   * it is not the leader; times out after 5 s (a leader cut off from its majority cannot commit).
   */
  public CompletableFuture<Proposal> propose(JournalEntry entry) {
    if (server == null) {
      return CompletableFuture.failedFuture(new NotLeaderException("the Raft server is not running"));
    }
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(selfId)
        .setGroupId(group.getGroupId()).setCallId(callId.incrementAndGet())
        .setMessage(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(
            JournalCodec.encode(entry))))
        .setType(RaftClientRequest.writeRequestType()).build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new NotLeaderException("cannot submit: " + e.getMessage()));
    }
    return reply.orTimeout(5, TimeUnit.SECONDS).thenApply(r -> {
      if (!r.isSuccess()) {
        Exception ex = r.getException();
        throw new NotLeaderException(ex == null ? "not committed" : ex.getClass().getSimpleName() + ": "
            + ex.getMessage());
      }
      try {
        var json = JournalCodec.mapper().readTree(r.getMessage().getContent().toByteArray());
        return new Proposal(json.get("accepted").asBoolean(), json.get("detail").asText(), json.get("term").asLong(),
            json.get("index").asLong());
      } catch (IOException e) {
        throw new IllegalStateException("unreadable reply from the state machine", e);
      }
    });
  }

  /**
   * Changes the group's members (Raft configuration change, committed through the log). Blocking;
   * only the leader can do it. The new members must be running (or start soon) with storage of
   * their own; they catch up from the leader.
   */
  public void setMembers(List<ControllerPeer> members) throws IOException {
    if (!isActingLeader()) {
      throw new NotLeaderException("only the acting leader changes the members");
    }
    List<RaftPeer> peers = new ArrayList<>();
    for (ControllerPeer p : members) {
      peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.raft().toString()).build());
    }
    RaftProperties p = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));
    try (org.apache.ratis.client.RaftClient client = org.apache.ratis.client.RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), currentMembers())).setProperties(p)
        .setParameters(parameters).setLeaderId(selfId)
        .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(500, TimeUnit.MILLISECONDS))).build()) {
      var reply = client.admin().setConfiguration(peers);
      if (!reply.isSuccess()) {
        throw new IOException("the configuration change was not committed: " + reply.getException());
      }
    }
  }

  /** The group's current members according to Raft (which wins over the config file). */
  public List<RaftPeer> currentMembers() throws IOException {
    return new ArrayList<>(server.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers());
  }

  public File storageDir() {
    return storageDir.toFile();
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
