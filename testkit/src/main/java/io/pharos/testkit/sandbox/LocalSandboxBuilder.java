package io.pharos.testkit.sandbox;

import io.pharos.testkit.proc.Launcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A sandbox's settings; {@link #build()} writes its config (it starts nothing). */
public final class LocalSandboxBuilder {
  final Path runDir;
  final Launcher launcher;
  List<String> regions = LocalSandbox.DEFAULT_REGIONS;
  String probes = LocalSandbox.DEFAULT_PROBES;
  String policy = LocalSandbox.DEFAULT_POLICY;
  int ttl = 5;
  String zone = "pharos.test";
  SandboxNetwork network = SandboxNetwork.LOOPBACK;
  Map<String, String> extraEnv = Map.of();
  SandboxDns dns = SandboxDns.EMBEDDED;
  List<String> controllerJvm;

  LocalSandboxBuilder(Path runDir, Launcher launcher) {
    this.runDir = runDir;
    this.launcher = launcher;
  }

  public LocalSandboxBuilder regions(List<String> names) {
    this.regions = List.copyOf(names);
    return this;
  }

  /** The {@code probes:} section as a YAML flow mapping. */
  public LocalSandboxBuilder probes(String yamlFlow) {
    this.probes = yamlFlow;
    return this;
  }

  /** The {@code policy:} section as a YAML flow mapping. */
  public LocalSandboxBuilder policy(String yamlFlow) {
    this.policy = yamlFlow;
    return this;
  }

  public LocalSandboxBuilder ttl(int seconds) {
    this.ttl = seconds;
    return this;
  }

  /** LOOPBACK (the default) or NETNS (each process in its own network namespace). */
  public LocalSandboxBuilder network(SandboxNetwork mode) {
    this.network = mode;
    return this;
  }

  /**
   * EMBEDDED (the default: the controllers serve the zone) or ROUTE53 (moto_server behind a
   * chaos proxy, driven by the controllers' Route 53 provider; needs moto_server on PATH).
   */
  public LocalSandboxBuilder dns(SandboxDns provider) {
    this.dns = java.util.Objects.requireNonNull(provider, "dns");
    return this;
  }

  /** Extra environment for every process (e.g. the controllers' fault-injection hooks). */
  public LocalSandboxBuilder env(Map<String, String> env) {
    this.extraEnv = Map.copyOf(env);
    return this;
  }

  /**
   * The controllers' JVM flags instead of the sandbox's lean ones (small heap, C1 only, SerialGC):
   * for benchmarks that measure a controller as it is deployed. The Hazelcast member flags are
   * always added.
   */
  public LocalSandboxBuilder controllerJvm(List<String> flags) {
    this.controllerJvm = List.copyOf(flags);
    return this;
  }

  public LocalSandbox build() {
    return new LocalSandbox(this);
  }
}
