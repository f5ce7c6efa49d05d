package io.pharos.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
  private static final NodeCommands NODES = new NodeCommands() {
    @Override
    public List<String> app(String listen, String region) {
      return List.of("serve", listen);
    }

    @Override
    public List<String> controller(Path config, String id, Path dataDir) {
      return List.of("lead", id);
    }

    @Override
    public List<String> agent(Path config, String region, String id, String listen) {
      return List.of("watch", region);
    }
  };

  @TempDir
  Path dir;

  private Path jar(String mainClass) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
    return jar;
  }

  @Test
  void aJarsMainClassComesFromItsManifest() throws Exception {
    Launcher l = Launcher.jar(jar("com.example.Main"), NODES);
    assertThat(l.mainClass()).isEqualTo("com.example.Main");
    assertThat(l.command(List.of("-Xmx32m"), l.nodes().controller(dir, "c1", dir)))
        .endsWith("-Xmx32m", "-cp", dir.resolve("app.jar").toAbsolutePath().toString(), "com.example.Main", "lead",
            "c1");
  }

  @Test
  void aJarWithoutMainClassOrNoJarIsAClearError() throws Exception {
    Path plain = jar(null);
    assertThatThrownBy(() -> Launcher.jar(plain, NODES)).hasMessageContaining("names no Main-Class");
    assertThatThrownBy(() -> Launcher.jar(dir.resolve("none.jar"), NODES))
        .hasMessageContaining("does not exist; build it with");
  }

  @Test
  void aClassFromADirectoryRunsOnThisClasspath() {
    Launcher l = Launcher.ofCodeSource(LauncherTest.class, NODES);
    assertThat(l.mainClass()).isEqualTo(LauncherTest.class.getName());
    assertThat(l.classpath()).isEqualTo(System.getProperty("java.class.path"));
  }

  @Test
  void argFilesAreReadAsTheJavaLauncherReadsThem() {
    assertThat(Launcher.parseArgFile("# why\n--add-opens a=b  # trailing\n\n  -Dx=1 -Dy=2\n", "t.args"))
        .containsExactly("--add-opens", "a=b", "-Dx=1", "-Dy=2");
    assertThatThrownBy(() -> Launcher.parseArgFile("-Dx=\"a b\"", "t.args")).hasMessageContaining("quoted");
  }

  @Test
  void theHazelcastMemberFlagsComeFromTheOneArgFileWhichThisTestJvmWasStartedWithToo() {
    List<String> flags = Launcher.HAZELCAST_MEMBER_FLAGS;
    assertThat(flags).startsWith("--add-modules", "java.se").contains("--add-opens", "java.base/java.lang=ALL-UNNAMED");
    // surefire's argLine is @.../jvm/hazelcast-member.args: the java launcher expanded it for this JVM
    List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < flags.size(); i += 2) {
      assertThat(jvm).as("this JVM's arguments").contains(flags.get(i) + "=" + flags.get(i + 1));
    }
  }
}
