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
  private static final Set<String> PEER = Set.of("id", "region", "raft", "hazelcast", "api", "dns", "dnsAdvertise");

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
      HostPort advertise = dns == null ? null : advertise(p, dns);
      if (id != null && raft != null && hz != null && api != null && dns != null && advertise != null) {
        peers.add(new ControllerPeer(id, region, raft, hz, api, dns, advertise));
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
   * Where the peer's DNS server is reached: {@code dnsAdvertise} (an IPv4 address, with the bind
   * port unless it names one), or the bind address when that is a concrete IPv4 address. A
   * wildcard or a host name cannot be a name server's glue (and a verifier asking 0.0.0.0 asks
   * itself): then {@code dnsAdvertise} is required.
   */
  private static HostPort advertise(YamlNode p, HostPort dns) {
    YamlNode a = p.get("dnsAdvertise");
    if (!a.isPresent()) {
      if (ControllerPeer.isWildcard(dns.host())) {
        p.problem("dns", dns + " binds every address: set dnsAdvertise to the IPv4 address other controllers and"
            + " resolvers reach this name server at (it is published as its glue record)");
        return null;
      }
      if (!DnsNames.isIpv4(dns.host())) {
        p.problem("dns", "'" + dns.host() + "' is not an IPv4 address: a name server's glue record needs one; bind"
            + " an address, or set dnsAdvertise to the IPv4 address it is reached at");
        return null;
      }
      return dns;
    }
    String text = a.text();
    HostPort hp;
    try {
      hp = text != null && text.contains(":") ? HostPort.parse(text) : new HostPort(text, dns.port());
    } catch (IllegalArgumentException e) {
      a.problem(e.getMessage());
      return null;
    }
    if (!DnsNames.isIpv4(hp.host()) || ControllerPeer.isWildcard(hp.host())) {
      a.problem("'" + text + "' must be the IPv4 address (optionally :port) this name server is reached at; it is"
          + " published as its glue record");
      return null;
    }
    if (hp.port() < 1 || hp.port() > 65_535) {
      a.problem("port must be 1..65535");
      return null;
    }
    return hp;
  }

  /**
   * A required host:port no other address of the controllers uses; {@code used} maps each to where it
   * was first written.
   */
  private static HostPort unique(YamlNode n, Map<String, String> used) {
    HostPort hp = n.required("is required (host:port)").value(HostPort::parse, null);
    // a wildcard is each controller's own machine (every peer's DNS server may bind 0.0.0.0:5353 in its pod)
    if (hp != null && !ControllerPeer.isWildcard(hp.host())) {
      String previous = used.putIfAbsent(hp.toString(), n.where());
      if (previous != null) {
        n.problem(hp + " is already used by " + previous);
      }
    }
    return hp;
  }
}
