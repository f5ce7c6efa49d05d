package io.pharos.agent;

import com.hazelcast.core.Hazelcast;
import io.pharos.testkit.cluster.LoopbackMembers;
import io.pharos.testkit.proc.ProcessGroup;

/**
 * A bare Hazelcast member in its own JVM, so a test can freeze it (SIGSTOP) as a cut-off
 * controller host: {@code MemberMain <group> <port> <member port>...}. Timings as the controllers
 * have them (heartbeat 1 s, a member declared dead after 5 s, 31 partitions).
 */
public final class MemberMain {
  private MemberMain() {}

  public static void main(String[] args) {
    ProcessGroup.exitWithParent();
    Hazelcast.newHazelcastInstance(LoopbackMembers.config(args[0], Integer.parseInt(args[1]),
        java.util.Arrays.copyOfRange(args, 2, args.length)));
    System.out.println("member up");
  }
}
