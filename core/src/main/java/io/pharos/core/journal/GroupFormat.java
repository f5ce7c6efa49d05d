package io.pharos.core.journal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The leader's check before it proposes an entry of a newer format: every member of the group
 * must read that version, or a member would stop at the committed entry it cannot apply. Members
 * tell the leader their version over Raft; a member that has not answered is assumed to read
 * only {@link JournalCodec#BASE_VERSION}. Pure, so every journal implementation checks alike.
 */
public final class GroupFormat {
  private GroupFormat() {}

  /**
   * The members that must read {@code e}: every member, except those a membership change removes.
   * They leave with it (a lost controller being replaced cannot even answer), and one that cannot
   * read the record of its own removal stops, as it is being removed anyway.
   */
  public static List<String> readers(JournalEntry e, Collection<String> members) {
    if (e instanceof MembershipChange m) {
      java.util.Set<String> staying = new java.util.HashSet<>();
      m.to().forEach(member -> staying.add(member.id()));
      return members.stream().filter(staying::contains).toList();
    }
    return List.copyOf(members);
  }

  /** The lowest version the members read; an unknown member counts as the base version. */
  public static int lowest(Collection<String> members, Map<String, Integer> known) {
    int lowest = Integer.MAX_VALUE;
    for (String m : members) {
      lowest = Math.min(lowest, known.getOrDefault(m, JournalCodec.BASE_VERSION));
    }
    return members.isEmpty() ? JournalCodec.BASE_VERSION : lowest;
  }

  /**
   * @throws VersionNotReadableException when some member does not read {@code version}, naming them
   */
  public static void check(int version, Collection<String> members, Map<String, Integer> known) {
    if (version <= lowest(members, known)) {
      return;
    }
    List<String> behind = new ArrayList<>();
    for (String m : new TreeSet<>(members)) {
      Integer v = known.get(m);
      if (v == null || v < version) {
        behind.add(m + (v == null ? " (version unknown, assumed " + JournalCodec.BASE_VERSION + ")" : " (reads up to "
            + v + ")"));
      }
    }
    throw new VersionNotReadableException(version, behind);
  }

  /** An entry was not proposed: some member would not read its format version. */
  public static final class VersionNotReadableException extends IllegalStateException {
    public VersionNotReadableException(int version, List<String> behind) {
      super("not proposed: journal format version " + version + " is not read by every controller: "
          + String.join(", ", behind) + ". Upgrade every controller before using what needs it.");
    }
  }
}
