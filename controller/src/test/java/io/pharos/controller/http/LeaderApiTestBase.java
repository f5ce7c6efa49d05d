package io.pharos.controller.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One controller's API with default settings on a journal where this controller is the acting leader. */
abstract class LeaderApiTestBase {
  @TempDir
  Path dir;
  ApiFixture api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiFixture(dir, ApiFixture.defaults());
    api.f.journal.becomeLeader();
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }
}
