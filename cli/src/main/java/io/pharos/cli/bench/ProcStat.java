package io.pharos.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from {@code /proc} (Linux only): what the benchmarks
 * report per process, so that each figure belongs to one process and not to the machine.
 *
 * @param cpuMillis user + system CPU time the process used so far
 * @param rssKb resident set size now
 */
public record ProcStat(long cpuMillis, long rssKb) {
  /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ: 100 on every Linux we run on). */
  private static final long TICKS_PER_SECOND = 100;

  public static ProcStat of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return new ProcStat(ticks * 1000 / TICKS_PER_SECOND, rss);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + " (has the process exited?)", e);
    }
  }

  /** The 1-minute load average of the machine now (what every figure is recorded with). */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      return -1;
    }
  }
}
