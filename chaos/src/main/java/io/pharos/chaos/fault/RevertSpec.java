package io.pharos.chaos.fault;

import java.util.Map;

/**
 * How a process other than the runner undoes a fault, as data (it goes into the lease file):
 * <ul>
 *   <li>{@code sigcont} {pid}: resume a stopped process;
 *   <li>{@code iptables} {namespace ("" = root), tag}: delete every rule whose comment starts with tag;
 *   <li>{@code http} {method, url}: e.g. DELETE an app's {@code /_fault};
 *   <li>{@code netns} {descriptor}: tear a whole namespace network down (processes, namespaces, bridge).
 * </ul>
 */
public record RevertSpec(String type, Map<String, String> args) {
  public RevertSpec {
    if (!java.util.Set.of("sigcont", "iptables", "http", "netns").contains(type)) {
      throw new IllegalArgumentException("unknown revert type " + type);
    }
    args = Map.copyOf(args);
  }

  public static RevertSpec sigcont(long pid) {
    return new RevertSpec("sigcont", Map.of("pid", Long.toString(pid)));
  }

  public static RevertSpec iptables(String namespace, String tag) {
    return new RevertSpec("iptables", Map.of("namespace", namespace == null ? "" : namespace, "tag", tag));
  }

  public static RevertSpec http(String method, String url) {
    return new RevertSpec("http", Map.of("method", method, "url", url));
  }

  public static RevertSpec netns(String descriptorJson) {
    return new RevertSpec("netns", Map.of("descriptor", descriptorJson));
  }

  public String describe() {
    return switch (type) {
      case "sigcont" -> "kill -CONT " + args.get("pid");
      case "iptables" -> "delete iptables rules tagged " + args.get("tag")
          + (args.get("namespace").isEmpty() ? "" : " in " + args.get("namespace"));
      case "http" -> args.get("method") + " " + args.get("url");
      default -> "tear down the namespace network";
    };
  }
}
