package io.pharos.controller.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The controller's Hazelcast member: the AP data plane that carries agents' reports and the signed
 * mode records. Consensus is not done here — Hazelcast's CP subsystem is Enterprise-only;
 * leadership and the journal are Raft (Ratis).
 *
 * <p>Open-source Hazelcast authenticates nobody: anything that reaches the port joins as a client
 * knowing only the cluster name. So nothing here is trusted for what it says (reports carry a MAC,
 * mode records a signature), no controller depends on a key a client could lock, and a member
 * deserializes with Java serialization only the classes on {@link #JAVA_SERIALIZATION_ALLOWED}
 * (Hazelcast's own and the JDK's, by its default list, plus ours): a client cannot make a member
 * instantiate an arbitrary class through it. The Vert.x cluster manager is not used (controllers
 * share nothing over a Vert.x event bus), so its maps and its unauthenticated event-bus port do
 * not exist either.
 *
 * <p>Heartbeats every second and a member declared dead after 5 s without one, so a frozen
 * (SIGSTOPped) member is noticed in ≤ 5 s instead of the default 60 s; the fence does not wait for
 * that (ADR 0011).
 */
public final class HazelcastMembership {
  static final String MAJORITY = "pharos-controller-majority";
  /**
   * Our classes that travel between members with Java serialization. Add a class here when it
   * must; a member refuses every other class outside Hazelcast's and the JDK's packages.
   */
  public static final List<String> JAVA_SERIALIZATION_ALLOWED = List.of("io.pharos.controller.failover.ModeUpdate");

  /**
   * Read by Hazelcast 5.6 from the JVM's system properties when a member starts (not from its
   * {@code Config}); {@code false} here unless set on the command line. With it on (Hazelcast's
   * default), a connection to a frozen peer — the kernel completes the TCP handshake, the peer never
   * sends its protocol header — keeps its output thread re-running it, and other connections on that
   * thread that wait to become writable stall until the peer answers or goes: the two healthy
   * controllers split while the third was SIGSTOPped, and stayed split until it resumed (ADR 0018).
   */
  static final String SELECTION_KEY_WAKEUP = "hazelcast.io.selectionKeyWakeupEnabled";
  private static ForkJoinPool asyncExecutor;

  private HazelcastMembership() {}

  public static Config config(PharosConfig config, ControllerPeer self) {
    return config(config, self, self.hazelcast().host());
  }

  /**
   * The member's configuration when it binds {@code bindHost} (an IP address, or a wildcard for every
   * interface, as in a container) and is reached by the others at its configured address, which may be a
   * DNS name.
   */
  public static Config config(PharosConfig config, ControllerPeer self, String bindHost) {
    Config hz = new Config();
    hz.setClusterName(config.controllers().group());
    hz.setInstanceName("pharos-" + self.id());
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(self.hazelcast().port()).setPortAutoIncrement(false);
    boolean everyInterface = ControllerPeer.isWildcard(bindHost);
    net.getInterfaces().setEnabled(!everyInterface).setInterfaces(everyInterface ? List.of() : List.of(bindHost));
    net.setPublicAddress(self.hazelcast().toString());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (ControllerPeer p : config.controllers().peers()) {
      join.getTcpIpConfig().addMember(p.hazelcast().toString());
    }
    hz.setProperty("hazelcast.socket.bind.any", Boolean.toString(everyInterface));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.setProperty("hazelcast.partition.count", "31");
    // every client (agent) connection gets a receive and a send buffer on the heap, 128 KB each by
    // default: 256 KB per agent and controller, 134 MB of byte[] with 500 agents (bench/fleet.sh).
    // An agent's frames are under 1 KB: 16 KB each way is plenty (a connection carries ~1,000 frames/s,
    // an agent sends 2). The system properties of the same names override it: bench/controller-ingest.sh,
    // whose clients carry 150 agents each, gives 128 (ADR 0019)
    hz.setProperty("hazelcast.socket.client.receive.buffer.size",
        System.getProperty("hazelcast.socket.client.receive.buffer.size", "16"));
    hz.setProperty("hazelcast.socket.client.send.buffer.size",
        System.getProperty("hazelcast.socket.client.send.buffer.size", "16"));
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
    filter.getWhitelist().addClasses(JAVA_SERIALIZATION_ALLOWED.toArray(String[]::new));
    hz.getSerializationConfig().setJavaSerializationFilterConfig(filter);
    // mode records are published only by a side of the cluster that holds a majority of the
    // controllers: a cut-off or resumed old leader's write is refused (ADR 0006)
    hz.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true, config.controllers().majority())
        .setProtectOn(SplitBrainProtectionOn.WRITE));
    // the mailbox of signed mode records: asynchronous backups, so a write never waits for a frozen
    // member's ack (the broadcast is the fence; a lost mailbox write is redone by the next renewal)
    hz.getMapConfig(ClusterNames.MODES).setBackupCount(0).setAsyncBackupCount(2)
        .setSplitBrainProtectionName(MAJORITY);
    // the watchdog's probe answers for this member alone: no backups to wait for, no protection
    hz.getMapConfig(ClusterNames.WATCHDOG).setBackupCount(0).setAsyncBackupCount(0).setTimeToLiveSeconds(60);
    return hz;
  }

  public static HazelcastInstance start(PharosConfig config, ControllerPeer self) {
    return start(config(config, self));
  }

  /** Starts the member bound to {@code bindHost}, reached at its configured address. */
  public static HazelcastInstance start(PharosConfig config, ControllerPeer self, String bindHost) {
    return start(config(config, self, bindHost));
  }

  /**
   * Starts a member of {@code config} with the system properties Hazelcast reads only from there,
   * and, where the JDK's common pool has one thread (2 cores or fewer), two threads of its own for
   * the asynchronous stages of Hazelcast's futures: its default there is a new thread for every
   * completion (ADR 0019).
   */
  static HazelcastInstance start(Config config) {
    System.getProperties().putIfAbsent(SELECTION_KEY_WAKEUP, "false");
    installAsyncExecutor();
    return Hazelcast.newHazelcastInstance(config);
  }

  private static synchronized void installAsyncExecutor() {
    if (ForkJoinPool.getCommonPoolParallelism() > 1 || asyncExecutor != null) {
      return;
    }
    asyncExecutor = new ForkJoinPool(2, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("pharos-hz-async-" + t.getPoolIndex());
      return t;
    }, null, true);
    ConcurrencyUtil.setDefaultAsyncExecutor(asyncExecutor);
  }

  /** The pool of {@link #start(Config)} where it installed one; null where the JDK's common pool serves. */
  static synchronized ForkJoinPool asyncExecutor() {
    return asyncExecutor;
  }

  /**
   * Whether this member's side of the cluster holds a majority of the controllers, as this member
   * sees it now (a local check, it waits for nothing). A member cut off from the others keeps
   * counting them until it declares them dead (5 s); the Raft leader lease stops a cut-off leader
   * before that.
   */
  public static boolean sideHasMajority(HazelcastInstance hz) {
    SplitBrainProtection p = hz.getSplitBrainProtectionService().getSplitBrainProtection(MAJORITY);
    return p.hasMinimumSize();
  }
}
