package io.pharos.controller.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The controller's Hazelcast member: the AP data plane (agents' reports, the mode map, Vert.x's
 * clustered event bus). Consensus is not done here — Hazelcast's CP subsystem is Enterprise-only;
 * leadership and the journal are Raft (Ratis).
 *
 * <p>Heartbeats every second and a member declared dead after 5 s without one, so a frozen
 * (SIGSTOPped) member is noticed in ≤ 5 s instead of the default 60 s.
 */
public final class HazelcastMembership {
  static final String VERTX_NODE_ID = "__vertx.nodeId";
  static final String MAJORITY = "pharos-controller-majority";

  private HazelcastMembership() {}

  public static Config config(PharosConfig config, ControllerPeer self) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.controllers().group());
    hz.setInstanceName("pharos-" + self.id());
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(self.hazelcast().port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(self.hazelcast().host()));
    net.setPublicAddress(self.hazelcast().toString());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (ControllerPeer p : config.controllers().peers()) {
      join.getTcpIpConfig().addMember(p.hazelcast().toString());
    }
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.setProperty("hazelcast.partition.count", "31");
    // vertx-hazelcast finds its node id in this member attribute when handed an existing instance
    hz.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID, java.util.UUID.randomUUID().toString());
    // mode records are written only by a side of the cluster that holds a majority of the
    // controllers: a cut-off or resumed old leader's write is refused by the map itself
    hz.addSplitBrainProtectionConfig(new com.hazelcast.config.SplitBrainProtectionConfig(MAJORITY, true,
        config.controllers().majority()).setProtectOn(com.hazelcast.splitbrainprotection.SplitBrainProtectionOn.WRITE));
    hz.getMapConfig(ClusterNames.MODES).setBackupCount(2).setAsyncBackupCount(0).setSplitBrainProtectionName(MAJORITY);
    // the watchdog's probe answers for this member alone: no backups to wait for, no protection
    hz.getMapConfig(ClusterNames.WATCHDOG).setBackupCount(0).setAsyncBackupCount(0).setTimeToLiveSeconds(60);
    return hz;
  }

  public static HazelcastInstance start(PharosConfig config, ControllerPeer self) {
    return Hazelcast.newHazelcastInstance(config(config, self));
  }

  /** Vert.x clustered over this member (its event bus and the HTTP and DNS servers' event loops). */
  public static Vertx vertx(HazelcastInstance hz) throws Exception {
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(hz)).buildClustered().toCompletionStage()
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
