package io.pharos.core.journal;

import io.pharos.core.config.ControllerPeer;
import java.io.IOException;
import java.util.List;

/** The journal group's voting members, as the group knows them (which wins over the config file). */
public interface Membership {
  /** Member ids. */
  List<String> memberIds() throws IOException;

  /**
   * Replaces the members (committed through the journal); blocking, only on the acting leader.
   * New members must be running with storage of their own; they catch up from the leader.
   *
   * @throws NotLeaderException when this controller is not the acting leader
   * @throws IOException when the change was not committed
   */
  void setMembers(List<ControllerPeer> members) throws IOException;
}
