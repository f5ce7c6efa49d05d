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
 * @param pssKb proportional set size now ({@code smaps_rollup}; -1 where the kernel has none): a
 *     ZGC heap is mapped three times (JDK 17) and RSS counts each of its pages three times, PSS once
 */
public record ProcStat(long cpuMillis, long rssKb, long pssKb) {
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
      long pss = -1;
      Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
      if (Files.isReadable(rollup)) {
        for (String line : Files.readAllLines(rollup)) {
          if (line.startsWith("Pss:")) {
            pss = Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      }
      return new ProcStat(ticks * 1000 / TICKS_PER_SECOND, rss, pss);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + " (has the process exited?)", e);
    }
  }

  /**
   * The whole machine's CPU time from {@code /proc/stat}, in clock ticks summed over its cores, and
   * its context switches so far: two of them give how busy the machine was in between, how much
   * of it in the kernel, and how often threads were switched.
   */
  public record Machine(long totalTicks, long idleTicks, long systemTicks, long contextSwitches) {
    public static Machine now() {
      try {
        long total = 0;
        long idle = 0;
        long system = 0;
        long ctxt = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
          String[] f = line.trim().split("\\s+");
          if (f[0].equals("cpu")) {
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
              total += Long.parseLong(f[i]);
            }
            idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            system = Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
          } else if (f[0].equals("ctxt")) {
            ctxt = Long.parseLong(f[1]);
          }
        }
        return new Machine(total, idle, system, ctxt);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read /proc/stat", e);
      }
    }

    /** Percent of the machine (all cores) busy since {@code before}. */
    public double busyPercentSince(Machine before) {
      long t = totalTicks - before.totalTicks;
      return t <= 0 ? 0 : 100.0 * (t - (idleTicks - before.idleTicks)) / t;
    }

    /** Percent of the machine in the kernel (system, irq, softirq) since {@code before}. */
    public double systemPercentSince(Machine before) {
      long t = totalTicks - before.totalTicks;
      return t <= 0 ? 0 : 100.0 * (systemTicks - before.systemTicks) / t;
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
