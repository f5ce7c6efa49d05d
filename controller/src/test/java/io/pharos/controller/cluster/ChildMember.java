package io.pharos.controller.cluster;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A controller's Hazelcast member alone, in a JVM of its own, so that a test can freeze it with
 * SIGSTOP: {@code ChildMember <config.yaml> <peer id>}. Exits with its parent.
 */
public final class ChildMember {
  private ChildMember() {}

  public static void main(String[] args) throws Exception {
    ProcessGroup.exitWithParent();
    PharosConfig config = TestConfigs.parse(Files.readString(Path.of(args[0])));
    ControllerPeer self = config.controllers().peer(args[1]).orElseThrow();
    HazelcastMembership.start(config, self);
    System.out.println("member " + self.id() + " started");
    Thread.currentThread().join();
  }
}
