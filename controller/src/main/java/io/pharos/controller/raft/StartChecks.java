package io.pharos.controller.raft;

import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.nio.file.Path;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftGroup;

/**
 * What a controller checks before its Raft server starts, in order: its storage is its own
 * ({@link StorageGuard}); a new controller's config matches the running group ({@link GroupCheck});
 * an existing one's journal snapshot can be read, or is recovered ({@link SnapshotRepair}).
 */
final class StartChecks {
  private StartChecks() {}

  /**
   * @return whether the storage is new or this controller's own
   * @throws RaftStartException saying what is wrong and what to do
   */
  static StorageGuard.Outcome run(ControllersConfig controllers, ControllerPeer self, Path storageDir, RaftGroup group,
      Parameters parameters, boolean join, ErrorCounter errors) {
    String groupDirName = group.getGroupId().getUuid().toString();
    StorageGuard.Outcome storage = StorageGuard.check(storageDir, groupDirName, self.id(), controllers);
    if (join && storage != StorageGuard.Outcome.NEW) {
      throw new RaftStartException("--join is for a new controller with empty storage; " + storageDir
          + " already holds this controller's log: start it without --join", null);
    }
    if (storage == StorageGuard.Outcome.NEW && !join) {
      try {
        GroupCheck.refuseIfRunningGroupDiffers(controllers, self.id(), group.getGroupId(),
            GroupCheck.overRaft(group, parameters), errors);
      } catch (RaftStartException e) {
        // nothing was stored yet: once the cause is fixed, the next start is a new controller again
        StorageGuard.forgetNew(storageDir);
        throw e;
      }
    }
    if (storage == StorageGuard.Outcome.EXISTING) {
      SnapshotRepair.check(storageDir.resolve(groupDirName), self.id(),
          controllers.peers().stream().filter(p -> !p.id().equals(self.id())).toList(),
          SnapshotRepair.overRaft(group, parameters), errors);
    }
    return storage;
  }
}
