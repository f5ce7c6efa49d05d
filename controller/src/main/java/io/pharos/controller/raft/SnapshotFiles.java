package io.pharos.controller.raft;

import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The journal's snapshot files ({@code sm/snapshot.<term>_<index>} and its {@code .md5}, as Ratis's
 * SimpleStateMachineStorage names them): written so that they survive a power loss before Ratis
 * purges the log they replace, and checked before a controller starts on them.
 *
 * <p>Why the fsyncs (issue 15, defect 5): Ratis purges the log up to a snapshot's index as soon as
 * {@code takeSnapshot} returns. Written without fsync, a power loss could keep the MD5 file and the
 * purge but lose the snapshot's content, and the controller would not start. Now the snapshot is
 * fsynced, renamed into place, its directory fsynced; then its MD5 file is written, fsynced, and
 * the directory fsynced again - all before {@code takeSnapshot} returns.
 */
final class SnapshotFiles {
  static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  /** Suffix of a snapshot moved aside because it could not be read (kept for a post-mortem, never loaded). */
  static final String CORRUPT = ".corrupt";

  private SnapshotFiles() {}

  /** A snapshot file and the (term, index) its name carries. */
  record Snapshot(Path file, long term, long index) {}

  /** Writes {@code state} as the snapshot {@code file} durably, then its MD5 file durably. */
  static MD5Hash writeDurably(File file, byte[] state) throws IOException {
    Path target = file.toPath();
    Path tmp = target.resolveSibling(file.getName() + ".tmp");
    Files.write(tmp, state);
    fsync(tmp);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(target.getParent());
    MD5Hash md5 = MD5FileUtil.computeMd5ForFile(file);
    MD5FileUtil.saveMD5File(file, md5);
    fsync(MD5FileUtil.getDigestFileForFile(file).toPath());
    fsyncDirectory(target.getParent());
    return md5;
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true);
    }
  }

  /** Makes a rename or a new file in {@code dir} durable (Linux: fsync of the directory). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a directory; there a rename is durable on its own
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
        throw e;
      }
    }
  }

  /** The snapshots in {@code smDir}, newest first. */
  static List<Snapshot> list(Path smDir) throws IOException {
    List<Snapshot> out = new ArrayList<>();
    if (!Files.isDirectory(smDir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(smDir)) {
      files.forEach(f -> {
        Matcher m = SNAPSHOT.matcher(f.getFileName().toString());
        if (m.matches()) {
          out.add(new Snapshot(f, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
      });
    }
    out.sort(Comparator.comparingLong(Snapshot::index).reversed());
    return out;
  }

  /**
   * Why {@code s} cannot be loaded (no MD5 file, an MD5 mismatch, not a journal state), or null
   * when it can.
   */
  static String problem(Snapshot s) {
    File f = s.file().toFile();
    try {
      if (!MD5FileUtil.getDigestFileForFile(f).exists()) {
        return "its MD5 file is missing";
      }
      // verifySavedMD5 compares the stored MD5 with the one given: give it the content's
      MD5FileUtil.verifySavedMD5(f, MD5FileUtil.computeMd5ForFile(f));
      ControlState state = JournalCodec.decodeState(Files.readAllBytes(s.file()));
      return state == null ? "it holds no journal state" : null;
    } catch (IOException | RuntimeException e) {
      return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
  }

  /** Moves {@code s} and its MD5 file aside ({@link #CORRUPT}), where Ratis never looks. */
  static void quarantine(Snapshot s) throws IOException {
    Path md5 = MD5FileUtil.getDigestFileForFile(s.file().toFile()).toPath();
    Files.move(s.file(), s.file().resolveSibling(s.file().getFileName() + CORRUPT),
        StandardCopyOption.REPLACE_EXISTING);
    if (Files.exists(md5)) {
      Files.move(md5, md5.resolveSibling(md5.getFileName() + CORRUPT), StandardCopyOption.REPLACE_EXISTING);
    }
    fsyncDirectory(s.file().getParent());
  }
}
