package io.pharos.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BIND starts serving its zones under its guard and leaves nothing after close; a bad zone is named. */
class BindServerTest {
  @Test
  void startsServesAndStops(@TempDir Path dir) throws Exception {
    int port;
    List<ProcessHandle> children;
    try (BindServer bind = BindServer.start(dir.resolve("bind"), List.of("t1.pharos.test", "t2.pharos.test"))) {
      port = bind.port();
      try (Socket s = new Socket("127.0.0.1", port)) {
        assertThat(s.isConnected()).isTrue();
      }
      assertThat(Files.readString(dir.resolve("bind/named.conf"))).contains("zone \"t2.pharos.test\"",
          "allow-update { key \"" + BindServer.KEY_NAME + "\"; }").doesNotContain(BindServer.OTHER_SECRET);
      children = ProcessHandle.of(bind.process().pid()).orElseThrow().descendants().toList();
      assertThat(children).as("named runs under its guard").isNotEmpty();
    }
    assertThat(children).as("named stopped with its guard").noneMatch(ProcessHandle::isAlive);
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void aZoneNamedCannotLoadIsReportedWithItsLog(@TempDir Path dir) {
    assertThatThrownBy(() -> BindServer.start(dir, List.of("bad..name"))).hasMessageContaining("named").hasMessageContaining("its log");
  }
}
