package io.pharos.agent;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.core.model.Report;
import io.pharos.core.wire.MalformedReportException;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import io.pharos.testkit.cluster.LoopbackMembers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Hazelcast member in the test JVM standing in for a controller, and what it received. */
public final class TestCluster {
  /** One frame as the member's topic listener got it, with the member's receive time and topic. */
  public record Received(long receivedAt, byte[] frame, Report report, String topic) {}

  private TestCluster() {}

  /** A member on 127.0.0.1:{@code port} only: TCP-IP join, no multicast, no phone-home. */
  public static HazelcastInstance member(String group, int port) {
    return Hazelcast.newHazelcastInstance(LoopbackMembers.config(group, port, String.valueOf(port)));
  }

  /** Collects every frame published on any report topic of {@code member} into {@code into}. */
  public static void collect(HazelcastInstance member, List<Received> into) {
    for (String name : ReportTopics.ALL) {
      ITopic<byte[]> topic = member.getTopic(name);
      topic.addMessageListener(m -> {
        byte[] frame = m.getMessageObject();
        into.add(new Received(System.currentTimeMillis(), frame, decode(frame), name));
      });
    }
  }

  public static List<Received> newInbox() {
    return new CopyOnWriteArrayList<>();
  }

  /**
   * The reports of {@code agentId} as a controller counts them: the first copy of each (agents
   * publish every report on two topics), in arrival order.
   */
  public static List<Received> from(List<Received> inbox, String agentId) {
    Set<String> seen = new HashSet<>();
    return inbox.stream().filter(r -> r.report().agentId().equals(agentId))
        .filter(r -> seen.add(r.report().bootId() + "/" + r.report().counter())).toList();
  }

  /** Every copy of {@code agentId}'s reports, as received. */
  public static List<Received> copies(List<Received> inbox, String agentId) {
    return inbox.stream().filter(r -> r.report().agentId().equals(agentId)).toList();
  }

  static Report decode(byte[] frame) {
    try {
      return ReportCodec.decode(frame, 0, frame.length - ReportSigner.MAC_LENGTH);
    } catch (MalformedReportException e) {
      throw new AssertionError("the agent sent a malformed frame", e);
    }
  }
}
