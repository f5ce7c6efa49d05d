package io.pharos.testkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proc.ProcessGroup;
import io.pharos.testkit.proxy.ApiFault;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** moto_server with a seeded hosted zone behind the chaos proxy, and nothing left after close. */
class Route53SandboxTest {
  @Test
  void servesTheSeededZoneThroughTheProxyAndStopsEverything() throws Exception {
    Path dir = Files.createTempDirectory("r53-sandbox");
    long motoPid;
    List<ProcessHandle> children;
    int proxyPort;
    try (ProcessGroup group = new ProcessGroup(dir.resolve("logs"));
        Route53Sandbox r53 = Route53Sandbox.start(group, "pharos.test", "127.0.0.1", List.of(
            new Route53Sandbox.Record("app.pharos.test", "A", 5, Map.of("a", "192.0.2.10", "b", "198.51.100.10"),
                Map.of("a", 100, "b", 0))))) {
      motoPid = r53.process().pid();
      children = ProcessHandle.of(motoPid).orElseThrow().descendants().toList();
      assertThat(children).as("moto_server runs under its guard").isNotEmpty();
      proxyPort = r53.endpoint().getPort();
      assertThat(r53.hostedZoneId()).matches("[A-Z0-9]+");
      assertThat(r53.recordSets()).anyMatch(s -> s.name().equals("app.pharos.test") && "b".equals(s.setIdentifier())
          && s.weight() == 0 && s.values().equals(List.of("198.51.100.10")));
      assertThat(r53.answer("app.pharos.test", "A")).as("weight 0 is not answered").containsExactly("192.0.2.10");

      // what the controllers do: an SDK-shaped call to the proxy, throttled, then forwarded
      String path = "/2013-04-01/hostedzone/" + r53.hostedZoneId() + "/rrset";
      r53.proxy().set(ApiFault.awsThrottle(1.0));
      assertThat(Http.get(r53.endpoint() + path).orElseThrow().status()).isEqualTo(400);
      r53.proxy().clear();
      assertThat(Http.get(r53.endpoint() + path).orElseThrow().status()).as("moto needs the SigV4 scope: the raw GET"
          + " reaches it and is answered").isGreaterThanOrEqualTo(200);
      assertThat(r53.proxy().exchanges()).extracting(HttpChaosProxy.Exchange::outcome)
          .containsExactly(HttpChaosProxy.Outcome.THROTTLED, HttpChaosProxy.Outcome.FORWARDED);
      assertThat(Route53Api.isChange(new HttpChaosProxy.Exchange(0, "POST", path + "/",
          HttpChaosProxy.Outcome.FORWARDED, 200))).isTrue();
      assertThat(Route53Api.isChange(new HttpChaosProxy.Exchange(0, "GET", path, HttpChaosProxy.Outcome.FORWARDED,
          200))).isFalse();
      assertThat(Route53Api.changesWeightedSets(new HttpChaosProxy.Exchange(0, "POST", path + "/",
          HttpChaosProxy.Outcome.FORWARDED, 200, "<Change><ResourceRecordSet><Name>app.pharos.test.</Name>"
              + "<SetIdentifier>a</SetIdentifier>"))).isTrue();
      assertThat(Route53Api.changesWeightedSets(new HttpChaosProxy.Exchange(0, "POST", path + "/",
          HttpChaosProxy.Outcome.FORWARDED, 200, "<Change><ResourceRecordSet><Name>_pharos.pharos.test.</Name>")))
          .as("a fencing-only batch").isFalse();
    }
    assertThat(ProcessHandle.of(motoPid).map(ProcessHandle::isAlive).orElse(false)).as("moto guard stopped").isFalse();
    assertThat(children).as("moto_server stopped with its guard").noneMatch(ProcessHandle::isAlive);
    try (Socket s = new Socket("127.0.0.1", proxyPort)) {
      throw new AssertionError("the proxy still listens on " + proxyPort);
    } catch (java.net.ConnectException expected) {
      // closed
    }
  }
}
