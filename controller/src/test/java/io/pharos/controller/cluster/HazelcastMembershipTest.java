package io.pharos.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import org.junit.jupiter.api.Test;

class HazelcastMembershipTest {
  @Test
  void ioThreadsAreHalfTheCoresFromOneToThree() {
    assertThat(HazelcastMembership.ioThreads(1)).isEqualTo(1);
    assertThat(HazelcastMembership.ioThreads(2)).isEqualTo(1);
    assertThat(HazelcastMembership.ioThreads(4)).isEqualTo(2);
    assertThat(HazelcastMembership.ioThreads(6)).isEqualTo(3);
    assertThat(HazelcastMembership.ioThreads(64)).isEqualTo(3);
  }

  @Test
  void theMemberConfigCarriesTheIoThreadCount() {
    PharosConfig config = TestConfigs.threeRegions();
    var hz = HazelcastMembership.config(config, config.controllers().peers().get(0), "127.0.0.1");
    assertThat(hz.getProperty(HazelcastMembership.IO_THREADS))
        .isEqualTo(Integer.toString(HazelcastMembership.ioThreads(Runtime.getRuntime().availableProcessors())));
  }

  @Test
  void aSystemPropertyOfTheSameNameWins() {
    PharosConfig config = TestConfigs.threeRegions();
    String before = System.getProperty(HazelcastMembership.IO_THREADS);
    System.setProperty(HazelcastMembership.IO_THREADS, "5");
    try {
      var hz = HazelcastMembership.config(config, config.controllers().peers().get(0), "127.0.0.1");
      // not set in the config's own properties, so Hazelcast reads the system property
      assertThat(hz.getProperties().getProperty(HazelcastMembership.IO_THREADS)).isNull();
      assertThat(hz.getProperty(HazelcastMembership.IO_THREADS)).isEqualTo("5");
    } finally {
      if (before == null) {
        System.clearProperty(HazelcastMembership.IO_THREADS);
      } else {
        System.setProperty(HazelcastMembership.IO_THREADS, before);
      }
    }
  }
}
