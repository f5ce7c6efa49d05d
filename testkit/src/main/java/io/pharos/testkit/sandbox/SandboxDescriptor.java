package io.pharos.testkit.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proc.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What another process needs to drive a running local sandbox: every region's URLs, name server,
 * DNS target, process ids and network nodes, and the namespace network if there is one. Written
 * to {@code sandbox.json} in the run directory whenever a process starts.
 *
 * @param ownerPid the process that owns the sandbox (its processes exit when it does)
 * @param runTag the sandbox's tag for iptables rules
 * @param network LOOPBACK or NETNS
 * @param netns the namespace network, or null on loopback
 * @param secretsDir where the sandbox's throwaway API tokens are ({@link SandboxSecrets#read})
 */
public record SandboxDescriptor(String runDir, long ownerPid, String runTag, String network, String zone,
    String record, int ttl, List<Region> regions, NetnsNetwork.Descriptor netns, String secretsDir) {
  public static final String FILE = "sandbox.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One region as seen from outside. */
  public record Region(String name, String target, String appUrl, String agentUrl, String apiUrl, String dns,
      String controllerId, long appPid, long agentPid, long controllerPid, String appNode, String agentNode,
      String controllerNode) {}

  static synchronized void write(LocalSandbox s) {
    List<Region> rs = new ArrayList<>();
    for (SandboxRegion r : s.regions()) {
      rs.add(new Region(r.name(), r.target(), r.appUrl(), r.agentUrl(), r.apiUrl(), r.dnsAddress().toString(),
          r.controllerId(), pid(r.app()), pid(r.agent()), pid(r.controller()), r.node(SandboxRegion.Component.APP),
          r.node(SandboxRegion.Component.AGENT), r.node(SandboxRegion.Component.CONTROLLER)));
    }
    SandboxDescriptor d = new SandboxDescriptor(s.runDir().toString(), ProcessHandle.current().pid(), s.runTag(),
        s.networkMode().name(), s.zone(), s.recordName(), s.ttl(), rs,
        s.network().map(NetnsNetwork::descriptor).orElse(null), s.secrets().dir().toString());
    try {
      Path tmp = s.runDir().resolve(FILE + ".tmp");
      Files.writeString(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(d));
      Files.move(tmp, s.runDir().resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + s.runDir().resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Reads a descriptor; the message names the file when it is missing or unreadable. */
  public static SandboxDescriptor read(Path file) {
    try {
      return MAPPER.readValue(Files.readString(file), SandboxDescriptor.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the sandbox descriptor " + file + ": " + e.getMessage(), e);
    }
  }

  public Region region(String name) {
    return regions.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no region " + name + " in the sandbox at " + runDir));
  }

  private static long pid(ManagedProcess p) {
    return p == null ? 0 : p.pid();
  }
}
