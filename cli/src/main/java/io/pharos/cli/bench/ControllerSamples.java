package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the whole-process benchmarks read off a controller trio: each controller's {@code pharos_*}
 * metrics, its process's CPU and RSS, its heap after a full GC and its largest classes (jcmd), and
 * the least-squares slope that tells whether a figure grows over a soak.
 */
final class ControllerSamples {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^(pharos_[a-z_]+)(?:\\{([^}]*)\\})? ([0-9.eE+-]+|NaN)$");
  private static final Pattern HEAP_USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");
  /** ZGC's one line: {@code ZHeap used 18M, capacity 256M, max capacity 256M}. */
  private static final Pattern ZHEAP_USED = Pattern.compile("ZHeap\\s+used (\\d+)([KMG])");

  private ControllerSamples() {}

  /** The {@code top} classes of a live heap ({@code jcmd GC.class_histogram}, after a full GC): "MB class". */
  static ArrayNode histogram(long pid, int top) {
    ArrayNode a = JSON.createArrayNode();
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true)
          .start();
      String text = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(text);
      while (m.find() && a.size() < top) {
        a.add(String.format("%.1f MB %s (%s)", Long.parseLong(m.group(2)) / 1048576.0, m.group(3), m.group(1)));
      }
    } catch (IOException e) {
      a.add("jcmd failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return a;
  }

  /**
   * Per controller id: every {@code pharos_*} sample of its {@code /metrics}, by name, a
   * {@code reason} label appended after {@code |}.
   */
  static Map<String, Map<String, Double>> metrics(LocalSandbox sandbox) {
    Map<String, Map<String, Double>> all = new LinkedHashMap<>();
    for (SandboxRegion r : sandbox.regions()) {
      Http.Response resp = Http.get(r.apiUrl() + "/metrics").orElse(null);
      if (resp == null || resp.status() != 200) {
        continue;
      }
      all.put(r.controllerId(), parse(resp.body()));
    }
    return all;
  }

  static Map<String, Double> parse(String text) {
    Map<String, Double> m = new TreeMap<>();
    Matcher x = SAMPLE.matcher(text);
    while (x.find()) {
      String name = x.group(1);
      String labels = x.group(2) == null ? "" : x.group(2);
      Matcher reason = Pattern.compile("reason=\"([^\"]*)\"").matcher(labels);
      if (reason.find()) {
        name = name + "|" + reason.group(1);
      }
      if (!x.group(3).equals("NaN")) {
        m.merge(name, Double.parseDouble(x.group(3)), Double::sum);
      }
    }
    return m;
  }

  /** CPU and RSS of every controller process still running, by controller id. */
  static Map<String, ProcStat> procs(LocalSandbox sandbox) {
    Map<String, ProcStat> m = new LinkedHashMap<>();
    for (SandboxRegion r : sandbox.regions()) {
      if (r.controller() != null && r.controller().isAlive()) {
        m.put(r.controllerId(), ProcStat.of(r.controller().pid()));
      }
    }
    return m;
  }

  /** Used heap after a full GC ({@code jcmd <pid> GC.run, GC.heap_info} in one attach), MB; -1 when jcmd fails. */
  static double heapAfterGc(long pid) {
    try {
      Path cmds = Files.createTempFile("pharos-fleet-jcmd", ".txt");
      try {
        Files.writeString(cmds, "GC.run\nGC.heap_info\n");
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "-f", cmds.toString()).redirectErrorStream(true)
            .start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return -1;
        }
        return heapUsedMb(text);
      } finally {
        Files.deleteIfExists(cmds);
      }
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The used heap {@code GC.heap_info} prints (every generation's, G1's or ZGC's one heap), MB; -1 when none. */
  static double heapUsedMb(String heapInfo) {
    Matcher z = ZHEAP_USED.matcher(heapInfo);
    if (z.find()) {
      long n = Long.parseLong(z.group(1));
      return switch (z.group(2)) {
        case "K" -> n / 1024.0;
        case "G" -> n * 1024.0;
        default -> n;
      };
    }
    Matcher m = HEAP_USED.matcher(heapInfo);
    long kb = 0;
    boolean any = false;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
      any = true;
    }
    return any ? kb / 1024.0 : -1;
  }

  /** Least-squares slope of y over x ({x, y} pairs); 0 with fewer than two points. */
  static double slope(List<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return 0;
    }
    double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
    double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
    double num = 0;
    double den = 0;
    for (double[] p : points) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : num / den;
  }
}
