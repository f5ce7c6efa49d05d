package io.pharos.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the {@code controllers} section. */
final class ControllersReader {
  static final Set<String> KNOWN =
      Set.of("group", "peers", "storageDir", "electionTimeoutMin", "electionTimeoutMax", "tls");
  private static final Set<String> TLS = Set.of("certFile", "keyFile", "caFile");
  private static final Set<String> PEER = Set.of("id", "region", "raft", "hazelcast", "api", "dns");

  private ControllersReader() {}

  static ControllersConfig read(Fields c, Set<String> regions, boolean present) {
    if (!present) {
      c.problem(null, "controllers is required (3 or 5 peers)");
      return null;
    }
    String group = c.string("group", "pharos");
    if (!ConfigLoader.ID.matcher(group).matches()) {
      c.problem("group", "'" + group + "' is not a valid group name");
    }
    List<ControllerPeer> peers = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> usedAddresses = new HashMap<>();
    List<Fields> items = c.objects("peers", PEER, true);
    if (!items.isEmpty() && items.size() % 2 == 0) {
      c.problem("peers", items.size() + " controllers cannot outvote a split; use 3 or 5 (or 1 for a trial)");
    } else if (items.size() > 7) {
      c.problem("peers", "at most 7 controllers, found " + items.size());
    }
    for (Fields p : items) {
      String id = p.requiredString("id");
      if (id != null && !ConfigLoader.ID.matcher(id).matches()) {
        p.problem("id", "'" + id + "' is not a valid id (letters, digits, '.', '_', '-')");
      } else if (id != null && !ids.add(id)) {
        p.problem("id", "controller '" + id + "' is defined twice");
      }
      String region = p.requiredString("region");
      if (region != null && !regions.isEmpty() && !regions.contains(region)) {
        p.problem("region", "'" + region + "' is not a configured region");
      }
      HostPort raft = unique(p, "raft", usedAddresses);
      HostPort hz = unique(p, "hazelcast", usedAddresses);
      HostPort api = unique(p, "api", usedAddresses);
      HostPort dns = unique(p, "dns", usedAddresses);
      if (id != null && raft != null && hz != null && api != null && dns != null) {
        peers.add(new ControllerPeer(id, region, raft, hz, api, dns));
      }
    }
    Duration min = c.duration("electionTimeoutMin", Duration.ofMillis(300));
    Duration max = c.duration("electionTimeoutMax", Duration.ofMillis(600));
    if (max.compareTo(min) <= 0) {
      c.problem("electionTimeoutMax", "must be greater than electionTimeoutMin");
    }
    ControllersConfig.Tls tls = null;
    if (c.has("tls")) {
      Fields t = c.child("tls", TLS);
      String cert = t.requiredString("certFile");
      String key = t.requiredString("keyFile");
      String ca = t.requiredString("caFile");
      if (cert != null && key != null && ca != null) {
        tls = new ControllersConfig.Tls(cert, key, ca);
      }
    }
    return new ControllersConfig(group, peers, c.string("storageDir", "data"), min, max, tls);
  }

  private static HostPort unique(Fields p, String field, Map<String, String> used) {
    HostPort hp = p.hostPort(field, true);
    if (hp != null) {
      String previous = used.putIfAbsent(hp.toString(), p.path(field));
      if (previous != null) {
        p.problem(field, hp + " is already used by " + previous);
      }
    }
    return hp;
  }
}
