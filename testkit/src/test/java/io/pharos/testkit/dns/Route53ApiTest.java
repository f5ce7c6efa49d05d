package io.pharos.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.proxy.HttpChaosProxy.Exchange;
import io.pharos.testkit.proxy.HttpChaosProxy.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class Route53ApiTest {
  private static Exchange call(String method, String path) {
    return new Exchange(0, method, path, Outcome.FORWARDED, 200);
  }

  @Test
  void namesTheActionOfEachCall() {
    String zone = Route53Api.VERSION + "/hostedzone/Z123";
    List<Exchange> log = List.of(call("POST", zone + "/rrset/"), call("GET", zone + "/rrset"),
        call("GET", zone + "/rrset"), call("GET", Route53Api.VERSION + "/change/C1"), call("GET", zone),
        call("GET", Route53Api.VERSION + "/hostedzonesbyname"), call("GET", "/moto-api/"));
    assertThat(Route53Api.counts(log)).containsEntry("ChangeResourceRecordSets", 1)
        .containsEntry("ListResourceRecordSets", 2).containsEntry("GetChange", 1).containsEntry("GetHostedZone", 1)
        .containsEntry("ListHostedZonesByName", 1).containsEntry("GET /moto-api/", 1);
    assertThat(Route53Api.count(log, Route53Api.LIST)).isEqualTo(2);
    assertThat(Route53Api.isChange(log.get(0))).isTrue();
    assertThat(Route53Api.isChange(log.get(1))).isFalse();
  }
}
