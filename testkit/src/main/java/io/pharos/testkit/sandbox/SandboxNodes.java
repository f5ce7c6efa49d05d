package io.pharos.testkit.sandbox;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Network node names of a sandbox's processes. */
final class SandboxNodes {
  private SandboxNodes() {}

  /** Region names expanded to their three node names; node names kept; anything else is an error. */
  static Set<String> expand(List<SandboxRegion> regions, Set<String> regionsOrNodes) {
    Set<String> out = new TreeSet<>();
    for (String s : regionsOrNodes) {
      Optional<SandboxRegion> r = regions.stream().filter(x -> x.name().equals(s)).findFirst();
      if (r.isPresent()) {
        for (SandboxRegion.Component c : SandboxRegion.Component.values()) {
          out.add(r.get().node(c));
        }
      } else if (regions.stream().anyMatch(x -> List.of(SandboxRegion.Component.values()).stream()
          .anyMatch(c -> x.node(c).equals(s)))) {
        out.add(s);
      } else {
        throw new IllegalArgumentException("'" + s + "' is neither a region nor a process of this sandbox");
      }
    }
    return out;
  }
}
