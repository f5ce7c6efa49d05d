package io.pharos.dns;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The zone the tests serve: every kind of record the embedded server knows. */
public final class TestZones {
  public static final String ZONE = "pharos.test";
  public static final String APP = "app.pharos.test";
  public static final String BIG = "big.pharos.test";
  public static final int BIG_TARGETS = 60;

  private TestZones() {}

  public static DnsConfig pharosTest() {
    List<String> many = new ArrayList<>();
    for (int i = 1; i <= BIG_TARGETS; i++) {
      many.add("10.0.0." + i);
    }
    return new DnsConfig("embedded", ZONE, List.of(
        new RecordConfig(APP, "A", 30,
            Map.of("a", List.of("127.0.0.10", "127.0.0.11"), "b", List.of("127.0.0.20"), "c", List.of("127.0.0.30")),
            Map.of("a", 50, "b", 30, "c", 20)),
        new RecordConfig("v6.pharos.test", "AAAA", 30,
            Map.of("a", List.of("fd00::a"), "b", List.of("fd00::b")), Map.of("a", 1, "b", 1)),
        new RecordConfig("www.pharos.test", "CNAME", 60,
            Map.of("a", List.of("app-a.example.net"), "b", List.of("app-b.example.net")), Map.of("a", 50, "b", 50)),
        new RecordConfig("alias.pharos.test", "CNAME", 60, Map.of("a", List.of(APP)), Map.of("a", 1)),
        new RecordConfig("deep.x.pharos.test", "A", 30, Map.of("a", List.of("127.0.0.40")), Map.of("a", 1)),
        new RecordConfig(BIG, "A", 60, Map.of("a", many), Map.of("a", 1))));
  }

  /** {@code base} with one weight replaced. */
  public static Map<String, Map<String, Integer>> with(
      Map<String, Map<String, Integer>> base, String record, String region, int weight) {
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    base.forEach((r, w) -> copy.put(r, new LinkedHashMap<>(w)));
    copy.computeIfAbsent(record, r -> new LinkedHashMap<>()).put(region, weight);
    return copy;
  }
}
