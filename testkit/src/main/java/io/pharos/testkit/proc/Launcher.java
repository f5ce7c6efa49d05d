package io.pharos.testkit.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * How to start a node process in a new JVM: the java binary, the classpath, the main class and
 * the arguments per kind of node, plus JVM flags per kind of process. The caller supplies the main
 * class and the {@link NodeCommands}.
 */
public record Launcher(String java, String classpath, String mainClass, NodeCommands nodes) {
  /** JVM flags a Hazelcast member needs on JDK 17. */
  public static final List<String> HAZELCAST_MEMBER_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** Lean flags for short-lived local processes: quick start, small heaps. */
  public static final List<String> LEAN = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
      "-XX:-UsePerfData");

  /** {@code mainClass} on the classpath of this JVM, using the current JDK's java. */
  public static Launcher current(Class<?> mainClass, NodeCommands nodes) {
    return new Launcher(javaBin(), System.getProperty("java.class.path"), mainClass.getName(), nodes);
  }

  /** An executable jar (the distribution's {@code pharos.jar}): its manifest names the main class. */
  public static Launcher jar(Path jar, NodeCommands nodes) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " does not exist; build it with `mvn -B -DskipTests package`");
    }
    String main;
    try (JarFile j = new JarFile(jar.toFile())) {
      main = j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue("Main-Class");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar, e);
    }
    if (main == null || main.isBlank()) {
      throw new IllegalArgumentException(jar + " names no Main-Class in its manifest: not an executable jar");
    }
    return new Launcher(javaBin(), jar.toAbsolutePath().toString(), main, nodes);
  }

  /** {@code mainClass} from the jar or classes directory it was loaded from. */
  public static Launcher ofCodeSource(Class<?> mainClass, NodeCommands nodes) {
    try {
      Path p = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p)
          ? new Launcher(javaBin(), p.toAbsolutePath().toString(), mainClass.getName(), nodes)
          : current(mainClass, nodes);
    } catch (URISyntaxException e) {
      return current(mainClass, nodes);
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
