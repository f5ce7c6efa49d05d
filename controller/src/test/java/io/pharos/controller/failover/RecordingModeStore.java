package io.pharos.controller.failover;

import io.pharos.core.journal.ControlState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A mode store in memory: records what was published, fails when told, and runs a hook after each write. */
final class RecordingModeStore implements ModeStore {
  final List<ControlState> published = new CopyOnWriteArrayList<>();
  final List<Long> terms = new CopyOnWriteArrayList<>();
  volatile RuntimeException failWith;
  volatile Runnable afterWrite = () -> { };

  @Override
  public void publish(ControlState state, long term) {
    RuntimeException f = failWith;
    if (f != null) {
      throw f;
    }
    published.add(state);
    terms.add(term);
    afterWrite.run();
  }
}
