package io.pharos.testkit.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * iptables rules that Pharos adds, always tagged with a comment ({@code -m comment --comment
 * <tag>}) so that exactly those rules — and nothing else on the machine — can be listed and
 * removed again, by the process that added them or by a watchdog that outlives it. Rules go in
 * one {@code iptables-restore --noflush} batch per namespace, so a partition starts at once.
 */
public final class Iptables {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Iptables() {}

  /** One rule in the filter table, written as iptables arguments after {@code -I CHAIN}. */
  public record Rule(String chain, String match, String target) {
    String line(String tag) {
      return "-I " + chain + " " + match + " -m comment --comment \"" + tag + "\" -j " + target;
    }
  }

  /** Adds {@code rules} in {@code namespace} (null = the root namespace), tagged {@code tag}. */
  public static void add(String namespace, String tag, List<Rule> rules) {
    checkTag(tag);
    if (rules.isEmpty()) {
      return;
    }
    StringBuilder in = new StringBuilder("*filter\n");
    rules.forEach(r -> in.append(r.line(tag)).append('\n'));
    in.append("COMMIT\n");
    Cmd.run(in(namespace, List.of("iptables-restore", "--noflush")), in.toString(), TIMEOUT).orThrow();
  }

  /** The rules (as {@code iptables -S} lines) whose comment starts with {@code tagPrefix}. */
  public static List<String> list(String namespace, String tagPrefix) {
    checkTag(tagPrefix);
    Cmd.Result r = Cmd.run(in(namespace, List.of("iptables", "-S")), null, TIMEOUT);
    if (!r.ok()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (line.startsWith("-A ") && line.contains("--comment \"" + tagPrefix)
          || line.startsWith("-A ") && line.contains("--comment " + tagPrefix)) {
        out.add(line);
      }
    }
    return out;
  }

  /** Deletes every rule whose comment starts with {@code tagPrefix}; returns how many. Idempotent. */
  public static int delete(String namespace, String tagPrefix) {
    List<String> rules = list(namespace, tagPrefix);
    if (rules.isEmpty()) {
      return 0;
    }
    StringBuilder in = new StringBuilder("*filter\n");
    rules.forEach(l -> in.append("-D ").append(l.substring(3)).append('\n'));
    in.append("COMMIT\n");
    Cmd.run(in(namespace, List.of("iptables-restore", "--noflush")), in.toString(), TIMEOUT).orThrow();
    return rules.size();
  }

  static List<String> in(String namespace, List<String> command) {
    if (namespace == null) {
      return command;
    }
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    c.addAll(command);
    return c;
  }

  private static void checkTag(String tag) {
    if (tag == null || !tag.matches("[A-Za-z0-9:._-]{3,200}")) {
      throw new IllegalArgumentException("an iptables tag must be 3..200 of [A-Za-z0-9:._-], was " + tag);
    }
  }
}
