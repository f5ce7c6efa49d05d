package io.pharos.core.config;

import io.pharos.core.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code controllers} section. */
final class ControllersReader {
  private static final Set<String> KNOWN =
      Set.of("group", "peers", "storageDir", "electionTimeoutMin", "electionTimeoutMax", "tls",
          "insecurePlaintext");
  private static final Set<String> TLS = Set.of("certFile", "keyFile", "caFile");
  private static final Set<String> PEER = Set.of("id", "region", "raft", "hazelcast", "api", "dns");

  private ControllersReader() {}

  static ControllersConfig read(YamlNode section, Set<String> regions) {
    if (!section.isPresent()) {
      section.problem("controllers is required (3 or 5 peers)");
      return null;
    }
    YamlNode c = section.mapping(KNOWN);
    String group = c.get("group").text("pharos");
    if (!ConfigLoader.ID.matcher(group).matches()) {
      c.problem("group", "'" + group + "' is not a valid group name");
    }
    List<ControllerPeer> peers = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> usedAddresses = new HashMap<>();
    List<YamlNode> items = c.get("peers").requiredItems();
    if (!items.isEmpty() && items.size() % 2 == 0) {
      c.problem("peers", items.size() + " controllers cannot outvote a split; use 3 or 5 (or 1 for a trial)");
    } else if (items.size() > 7) {
      c.problem("peers", "at most 7 controllers, found " + items.size());
    }
    for (YamlNode item : items) {
      YamlNode p = item.mapping(PEER);
      String id = p.get("id").required("is required").text();
      if (id != null && !ConfigLoader.ID.matcher(id).matches()) {
        p.problem("id", "'" + id + "' is not a valid id (letters, digits, '.', '_', '-')");
      } else if (id != null && !ids.add(id)) {
        p.problem("id", "controller '" + id + "' is defined twice");
      }
      String region = p.get("region").required("is required").text();
      if (region != null && !regions.isEmpty() && !regions.contains(region)) {
        p.problem("region", "'" + region + "' is not a configured region");
      }
      HostPort raft = unique(p.get("raft"), usedAddresses);
      HostPort hz = unique(p.get("hazelcast"), usedAddresses);
      HostPort api = unique(p.get("api"), usedAddresses);
      HostPort dns = unique(p.get("dns"), usedAddresses);
      if (id != null && raft != null && hz != null && api != null && dns != null) {
        peers.add(new ControllerPeer(id, region, raft, hz, api, dns));
      }
    }
    Duration min = ConfigLoader.duration(c.get("electionTimeoutMin"), Duration.ofMillis(300));
    Duration max = ConfigLoader.duration(c.get("electionTimeoutMax"), Duration.ofMillis(600));
    if (max.compareTo(min) <= 0) {
      c.problem("electionTimeoutMax", "must be greater than electionTimeoutMin");
    }
    ControllersConfig.Tls tls = null;
    if (c.has("tls")) {
      YamlNode t = c.get("tls").mapping(TLS);
      String cert = t.get("certFile").required("is required").text();
      String key = t.get("keyFile").required("is required").text();
      String ca = t.get("caFile").required("is required").text();
      if (cert != null && key != null && ca != null) {
        tls = new ControllersConfig.Tls(cert, key, ca);
      }
    }
    boolean insecure = c.get("insecurePlaintext").bool(false);
    if (insecure && c.has("tls")) {
      c.problem("insecurePlaintext", "cannot be true together with controllers.tls: remove one of them");
    }
    if (!insecure && !c.has("tls")) {
      peers.stream().filter(p -> !p.raft().isLoopback()).findFirst().ifPresent(p -> c.problem("tls", "is required:"
          + " controller " + p.id() + "'s Raft address " + p.raft() + " is not loopback, and the Raft port must not"
          + " accept plaintext from the network. Give every controller a certificate of the controllers' CA"
          + " (docs/security/raft.md), or set controllers.insecurePlaintext: true to run without (not for"
          + " production)"));
    }
    return new ControllersConfig(group, peers, c.get("storageDir").text("data"), min, max, tls, insecure);
  }

  /**
   * A required host:port no other address of the controllers uses; {@code used} maps each to where it
   * was first written.
   */
  private static HostPort unique(YamlNode n, Map<String, String> used) {
    HostPort hp = n.required("is required (host:port)").value(HostPort::parse, null);
    if (hp != null) {
      String previous = used.putIfAbsent(hp.toString(), n.where());
      if (previous != null) {
        n.problem(hp + " is already used by " + previous);
      }
    }
    return hp;
  }
}
