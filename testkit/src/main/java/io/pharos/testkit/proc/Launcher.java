package io.pharos.testkit.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
  /**
   * JVM flags a Hazelcast member needs on JDK 17, from {@code jvm/hazelcast-member.args} (the one
   * copy, which the {@code pharos} script and surefire read too), packed into this jar.
   */
  public static final List<String> HAZELCAST_MEMBER_FLAGS = argFile("hazelcast-member.args");

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

  /**
   * The arguments of a java {@code @argfile} packed beside this class: whitespace-separated, a
   * {@code #} starting a token comments out the rest of the line (quotes are not supported).
   */
  static List<String> argFile(String resource) {
    try (InputStream in = Launcher.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the testkit jar (the build copies it from jvm/)");
      }
      return parseArgFile(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  static List<String> parseArgFile(String text, String name) {
    List<String> args = new ArrayList<>();
    for (String line : text.split("\\R")) {
      for (String token : line.strip().split("\\s+")) {
        if (token.startsWith("#")) {
          break;
        }
        if (token.contains("\"") || token.contains("'")) {
          throw new IllegalStateException(name + ": quoted arguments are not supported, was " + token);
        }
        if (!token.isEmpty()) {
          args.add(token);
        }
      }
    }
    return List.copyOf(args);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
