package io.pharos.controller.raft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Guards a controller's Raft storage so that it is never silently reformatted. On first start it
 * writes a marker ({@code pharos-controller.json}: id, group, peers); on every later start it
 * checks that the marker is this controller's and that the Raft log it vouches for is still
 * there. A lost or foreign directory stops start-up with what to do.
 */
public final class StorageGuard {
  static final String MARKER = "pharos-controller.json";
  /** The action log's default file name, kept next to the Raft storage. */
  public static final String ACTION_LOG = "actions.jsonl";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StorageGuard() {}

  /** What the guard found. */
  public enum Outcome {
    /** No storage yet: a new controller. */
    NEW,
    /** This controller's storage, intact. */
    EXISTING
  }

  /**
   * @param dir this controller's storage directory
   * @param groupDirName the Raft group's directory name inside it
   * @return NEW or EXISTING, after writing the marker for a new one
   * @throws RaftStartException when the directory is not usable as it is
   */
  public static Outcome check(Path dir, String groupDirName, String id, ControllersConfig controllers) {
    Path marker = dir.resolve(MARKER);
    try {
      if (!Files.exists(marker)) {
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
          throw new RaftStartException("the storage directory " + dir + " is not empty but has no " + MARKER
              + ": it was not created by this controller (or its marker was deleted). Refusing to use or reformat it."
              + " Point --data-dir at this controller's own storage, or move the directory aside to start empty.",
              null);
        }
        Files.createDirectories(dir);
        write(marker, id, controllers);
        return Outcome.NEW;
      }
      JsonNode m = MAPPER.readTree(Files.readAllBytes(marker));
      if (!id.equals(m.path("id").asText()) || !controllers.group().equals(m.path("group").asText())) {
        throw new RaftStartException("the storage directory " + dir + " belongs to controller '"
            + m.path("id").asText() + "' of group '" + m.path("group").asText() + "', not '" + id + "' of group '"
            + controllers.group() + "'. Point --data-dir at this controller's own storage.", null);
      }
      if (!Files.isDirectory(dir.resolve(groupDirName))) {
        throw new RaftStartException("the Raft log of controller " + id + " is missing from " + dir + " (formatted "
            + m.path("formattedAt").asText() + "). It is never recreated: a member that forgot its log and its votes"
            + " could help overwrite committed decisions or elect two leaders in one term. Restore a backup of " + dir
            + ", or replace this controller under a new id (remove it from the members, start the new one with"
            + " --join, add it): docs/runbooks.md, 'Replacing a controller's storage'.", null);
      }
      return Outcome.EXISTING;
    } catch (IOException e) {
      throw new RaftStartException("cannot read or write the storage directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Undoes {@link #check}'s marker of a {@link Outcome#NEW} directory when the start stopped before
   * the Raft storage was created (e.g. the running group refused this controller), so that a start
   * after the fix is new again instead of "the Raft log is missing".
   */
  public static void forgetNew(Path dir) {
    try {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.allMatch(p -> p.getFileName().toString().equals(MARKER)
            || p.getFileName().toString().equals(ACTION_LOG))) {
          Files.deleteIfExists(dir.resolve(MARKER));
        }
      }
    } catch (IOException e) {
      throw new RaftStartException("cannot remove the marker of the unused storage directory " + dir + ": "
          + e.getMessage() + "; remove " + dir.resolve(MARKER) + " by hand before the next start", e);
    }
  }

  /** Peers of the marker vs the config, by id: description of each difference (empty when equal). */
  public static List<String> peerDifferences(Map<String, String> expected, Map<String, String> actual) {
    List<String> diffs = new ArrayList<>();
    for (var e : expected.entrySet()) {
      String a = actual.get(e.getKey());
      if (a == null) {
        diffs.add(e.getKey() + " (" + e.getValue() + ") is configured here but not in the group");
      } else if (!a.equals(e.getValue())) {
        diffs.add(e.getKey() + " is at " + e.getValue() + " here but at " + a + " in the group");
      }
    }
    for (var e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        diffs.add(e.getKey() + " (" + e.getValue() + ") is in the group but not configured here");
      }
    }
    return diffs;
  }

  /** Configured peers as id → raft address. */
  public static Map<String, String> peers(ControllersConfig controllers) {
    Map<String, String> m = new TreeMap<>();
    for (ControllerPeer p : controllers.peers()) {
      m.put(p.id(), p.raft().toString());
    }
    return m;
  }

  private static void write(Path marker, String id, ControllersConfig controllers) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", id).put("group", controllers.group()).put("formattedAt", Instant.now().toString());
    ObjectNode peers = n.putObject("peers");
    peers(controllers).forEach(peers::put);
    Path tmp = marker.resolveSibling(MARKER + ".tmp");
    Files.writeString(tmp, n.toPrettyString());
    Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Empty but for the controller's own action log and its rotated files (opened before the Raft storage). */
  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.noneMatch(p -> !p.getFileName().toString().matches(java.util.regex.Pattern.quote(ACTION_LOG)
          + "(\\.\\d+)?"));
    }
  }
}
