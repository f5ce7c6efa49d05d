package io.pharos.controller.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.util.SizeInBytes;

/**
 * A stopped controller's Raft log segments ({@code <group>/current/log_<start>-<end>} and the open
 * {@code log_inprogress_<start>}), read with Ratis's own segment reader for what {@link
 * SnapshotRepair} must know before it recovers a lost snapshot: where the log starts and ends, and
 * the term of one entry.
 */
final class LocalLog {
  /** An upper bound for one entry, only a sanity limit for the reader. */
  private static final SizeInBytes MAX_ENTRY = SizeInBytes.valueOf("64MB");
  private static final Pattern START = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  private final Path current;

  LocalLog(Path groupDir) {
    this.current = groupDir.resolve("current");
  }

  private List<LogSegmentPath> segments() throws IOException {
    List<LogSegmentPath> out = new ArrayList<>();
    if (!Files.isDirectory(current)) {
      return out;
    }
    try (Stream<Path> files = Files.list(current)) {
      files.forEach(f -> {
        LogSegmentPath p = LogSegmentPath.matchLogSegment(f);
        if (p != null) {
          out.add(p);
        }
      });
    }
    return out;
  }

  /** The first index the log holds, if it holds any segment. */
  OptionalLong start() throws IOException {
    return segments().stream().mapToLong(LocalLog::startOf).min();
  }

  /** The last index the log holds, if it holds an entry (the open segment is read to know). */
  OptionalLong last() throws IOException {
    long last = -1;
    for (LogSegmentPath p : segments()) {
      long[] end = {-1};
      read(p, e -> end[0] = Math.max(end[0], e.getIndex()));
      last = Math.max(last, end[0]);
    }
    return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
  }

  /** The term of the entry at {@code index}, if the log holds it. */
  OptionalLong termAt(long index) throws IOException {
    for (LogSegmentPath p : segments()) {
      if (startOf(p) <= index) {
        long[] term = {-1};
        read(p, e -> {
          if (e.getIndex() == index) {
            term[0] = e.getTerm();
          }
        });
        if (term[0] >= 0) {
          return OptionalLong.of(term[0]);
        }
      }
    }
    return OptionalLong.empty();
  }

  /** Moves every segment into {@code aside} (kept for a post-mortem; Ratis never reads it). */
  void moveAside(Path aside) throws IOException {
    Files.createDirectories(aside);
    for (LogSegmentPath p : segments()) {
      Files.move(p.getPath(), aside.resolve(p.getPath().getFileName()));
    }
    SnapshotFiles.fsyncDirectory(current);
    SnapshotFiles.fsyncDirectory(aside);
  }

  /** The first index of a segment, from its file name (Ratis keeps the accessor package-private). */
  private static long startOf(LogSegmentPath p) {
    Matcher m = START.matcher(p.getPath().getFileName().toString());
    if (!m.matches()) {
      throw new IllegalStateException("not a log segment name: " + p.getPath());
    }
    return Long.parseLong(m.group(1));
  }

  private static void read(LogSegmentPath p, java.util.function.Consumer<LogEntryProto> each) throws IOException {
    // a torn last entry of the open segment is what a crash leaves: read what is whole
    LogSegment.readSegmentFile(p.getPath().toFile(), p.getStartEnd(), MAX_ENTRY,
        RaftServerConfigKeys.Log.CorruptionPolicy.WARN_AND_RETURN, null, each);
  }
}
