package io.pharos.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module rules, checked on each module's main classes as the build put them on this test's
 * classpath (cli's tests see every module): a module's classes live in its own package and use no
 * Pharos module but the ones {@link #MAY_USE} allows it. The poms mostly keep this already; the
 * test keeps it when a pom gains a dependency. {@code dependency:analyze-only} (parent pom) checks
 * that what a module uses is declared.
 */
class ModuleArchitectureTest {
  /** The Maven modules, by directory, and the package each one owns. */
  enum Module {
    CORE("core", "io.pharos.core"),
    TESTKIT("testkit", "io.pharos.testkit"),
    DNS("dns-adapter", "io.pharos.dns"),
    AGENT("agent", "io.pharos.agent"),
    CONTROLLER("controller", "io.pharos.controller"),
    CHAOS("chaos", "io.pharos.chaos"),
    CLI("cli", "io.pharos.cli");

    final String dir;
    final String pkg;

    Module(String dir, String pkg) {
      this.dir = dir;
      this.pkg = pkg;
    }

    /** Its classes in the reactor ({@code <dir>/target/classes}) or its jar ({@code pharos-<dir>-<version>.jar}). */
    boolean isAt(Path p) {
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      if (name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null) {
        return p.getParent().getFileName().toString().equals("target")
            && p.getParent().getParent().getFileName().toString().equals(dir);
      }
      return name.startsWith("pharos-" + dir + "-") && name.endsWith(".jar") && !name.contains("-tests");
    }
  }

  /**
   * Which other modules each module may use. core is pure and knows no edge module; the agent
   * knows neither the controller nor the DNS providers; the DNS providers do not know the
   * controller; testkit knows only core (its users hand it what it must not know, e.g. the cli's
   * command lines); chaos knows no controller, agent or DNS provider, only what it observes; and
   * nothing uses the cli.
   */
  static final Map<Module, Set<Module>> MAY_USE = new EnumMap<>(Map.of(
      Module.CORE, EnumSet.noneOf(Module.class),
      Module.TESTKIT, EnumSet.of(Module.CORE),
      Module.DNS, EnumSet.of(Module.CORE),
      Module.AGENT, EnumSet.of(Module.CORE),
      Module.CONTROLLER, EnumSet.of(Module.CORE, Module.DNS),
      Module.CHAOS, EnumSet.of(Module.CORE, Module.TESTKIT),
      Module.CLI, EnumSet.of(Module.CORE, Module.TESTKIT, Module.DNS, Module.AGENT, Module.CONTROLLER,
          Module.CHAOS)));

  private static final Map<Module, JavaClasses> CLASSES = importEachModule();

  private static Map<Module, JavaClasses> importEachModule() {
    Map<Module, JavaClasses> out = new EnumMap<>(Module.class);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      for (Module m : Module.values()) {
        if (m.isAt(p)) {
          out.put(m, importFrom(p));
        }
      }
    }
    return out;
  }

  private static JavaClasses importFrom(Path p) {
    if (Files.isDirectory(p)) {
      return new ClassFileImporter().importPath(p);
    }
    try (JarFile jar = new JarFile(p.toFile())) {
      return new ClassFileImporter().importJar(jar);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + p, e);
    }
  }

  @Test
  void everyModuleIsOnTheClasspathWithItsClasses() {
    assertThat(CLASSES.keySet()).as("modules found on " + System.getProperty("java.class.path"))
        .containsExactlyInAnyOrder(Module.values());
    CLASSES.forEach((m, c) -> assertThat(c).as(m.dir + "'s classes").isNotEmpty());
  }

  @TestFactory
  Stream<DynamicTest> eachModulesClassesLiveInItsOwnPackage() {
    return CLASSES.entrySet().stream().map(e -> dynamicTest(e.getKey().dir + " lives in " + e.getKey().pkg,
        () -> classes().should().resideInAPackage(e.getKey().pkg + "..")
            .because(e.getKey().dir + " owns " + e.getKey().pkg + " and only that (a class in another module's"
                + " package hides who depends on whom)")
            .check(e.getValue())));
  }

  @TestFactory
  Stream<DynamicTest> eachModuleUsesOnlyTheModulesItMay() {
    return CLASSES.entrySet().stream().map(e -> {
      Module m = e.getKey();
      Set<Module> allowed = EnumSet.of(m);
      allowed.addAll(MAY_USE.get(m));
      String[] packages = allowed.stream().map(a -> a.pkg + "..").toArray(String[]::new);
      String may = MAY_USE.get(m).isEmpty() ? "no other Pharos module" : names(MAY_USE.get(m));
      return dynamicTest(m.dir + " uses " + may, () -> classes()
          .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.pharos..").or(resideInAnyPackage(packages)))
          .because(m.dir + " may use " + may)
          .check(e.getValue()));
    });
  }

  private static String names(Set<Module> modules) {
    return modules.stream().map(x -> x.dir).collect(Collectors.joining(", "));
  }
}
