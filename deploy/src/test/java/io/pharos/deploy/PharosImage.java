package io.pharos.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The image deploy/image/build.sh makes from the distribution jar (cli/target/pharos.jar), built once per test
 * JVM. Nothing is pulled: the script imports a rootfs it assembles here.
 *
 * @param tag the image's name:tag
 * @param sizeBytes its size as the engine reports it
 * @param buildMillis how long the build took
 */
record PharosImage(String tag, long sizeBytes, long buildMillis) {
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  private static PharosImage built;

  static synchronized PharosImage build() {
    if (built != null) {
      return built;
    }
    Path jar = ROOT.resolve("cli/target/pharos.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no distribution jar at " + jar + ": the reactor builds cli before deploy"
          + " (mvn -pl deploy -am verify)");
    }
    String tag = "pharos:e2e";
    long start = System.nanoTime();
    try {
      Process p = new ProcessBuilder(List.of(ROOT.resolve("deploy/image/build.sh").toString(), "--tag", tag, "--jar",
          jar.toString())).redirectErrorStream(true).start();
      String out;
      try (var in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("deploy/image/build.sh failed:\n" + out);
      }
      String[] last = out.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
      built = new PharosImage(tag, Long.parseLong(last[last.length - 1]),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return built;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run deploy/image/build.sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the image", e);
    }
  }
}
