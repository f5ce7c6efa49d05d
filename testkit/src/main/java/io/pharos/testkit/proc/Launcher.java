package io.pharos.testkit.proc;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a {@code pharos} sub-command in a new JVM: the java binary, the classpath and the
 * main class, plus JVM flags per kind of process.
 */
public record Launcher(String java, String classpath, String mainClass) {
  public static final String MAIN = "io.pharos.cli.Pharos";

  /** JVM flags a Hazelcast member needs on JDK 17. */
  public static final List<String> HAZELCAST_MEMBER_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** Lean flags for short-lived local processes: quick start, small heaps. */
  public static final List<String> LEAN = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
      "-XX:-UsePerfData");

  /** The classpath of this JVM, using the current JDK's java. */
  public static Launcher current() {
    return new Launcher(javaBin(), System.getProperty("java.class.path"), MAIN);
  }

  /** A shaded jar (the distribution's {@code pharos.jar}). */
  public static Launcher jar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " does not exist; build it with `mvn -B -DskipTests package`");
    }
    return new Launcher(javaBin(), jar.toAbsolutePath().toString(), MAIN);
  }

  /** The jar or classes directory this class was loaded from. */
  public static Launcher ofCodeSource(Class<?> anchor) {
    try {
      Path p = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? jar(p) : current();
    } catch (URISyntaxException e) {
      return current();
    }
  }

  public List<String> command(List<String> jvmFlags, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
