package io.pharos.core.journal;

import java.util.List;

/**
 * An operator changed the controllers (a Raft configuration change), journaled with who and why:
 * {@link Phase#REQUESTED} before the change is made, then {@link Phase#DONE} or {@link
 * Phase#FAILED} after it. The Raft configuration itself is the members' truth; this entry is the
 * record of who changed it, when and why (journal format version 2).
 *
 * @param phase where the change is
 * @param from the member ids before the change
 * @param to the requested members, each with its Raft address
 * @param by who asked
 * @param reason why
 * @param detail what failed ({@link Phase#FAILED}), else empty
 */
public record MembershipChange(Phase phase, List<String> from, List<Member> to, String by, String reason,
    String detail, long proposerTerm, long at, String controller) implements JournalEntry {

  public MembershipChange {
    from = from == null ? List.of() : List.copyOf(from);
    to = to == null ? List.of() : List.copyOf(to);
    detail = detail == null ? "" : detail;
  }

  /** Where a membership change is. */
  public enum Phase {
    REQUESTED,
    DONE,
    FAILED
  }

  /** One controller of the new member set. */
  public record Member(String id, String raft) {}

  /** The timeline's line for it. */
  String describe() {
    String change = String.join(", ", from) + " -> " + String.join(", ", to.stream().map(Member::id).toList());
    return switch (phase) {
      case REQUESTED -> "controllers change requested by " + by + " (" + change + "): " + reason;
      case DONE -> "controllers changed by " + by + " (" + change + "): " + reason;
      case FAILED -> "controllers change by " + by + " failed (" + change + "): " + detail;
    };
  }
}
