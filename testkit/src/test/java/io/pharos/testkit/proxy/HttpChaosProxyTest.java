package io.pharos.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.FaultServer;
import io.pharos.testkit.sandbox.Http;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpChaosProxyTest {
  private FaultServer api;
  private HttpChaosProxy p;

  @BeforeEach
  void start() throws Exception {
    api = new FaultServer("127.0.0.1", 0).start();
    p = new HttpChaosProxy(new InetSocketAddress("127.0.0.1", 0), URI.create("http://127.0.0.1:" + api.port())).start();
  }

  @AfterEach
  void stop() {
    p.close();
    api.close();
  }

  @Test
  void forwardsThrottlesFailsAndSlowsAnApi() {
    String url = p.url() + "/healthz";
    assertThat(Http.get(url).orElseThrow().body()).isEqualTo("ok\n");
    assertThat(Http.send("PUT", p.url() + "/_lag", "{\"lagSeconds\": 1.5}").orElseThrow().status()).isEqualTo(200);
    assertThat(api.lagSeconds()).as("bodies and methods are forwarded").isEqualTo(1.5);

    p.set(ApiFault.awsThrottle(1.0));
    Http.Response r = Http.get(url).orElseThrow();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>Throttling</Code>");
    p.set(ApiFault.throttle(1.0));
    assertThat(Http.get(url).orElseThrow().status()).isEqualTo(429);
    p.set(ApiFault.errors(1.0, 503));
    assertThat(Http.get(url).orElseThrow().status()).isEqualTo(503);
    p.set(ApiFault.slow(Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    assertThat(Http.get(url).orElseThrow().status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    p.clear();
    assertThat(p.throttled()).isEqualTo(2);
    assertThat(p.failed()).isEqualTo(1);
    assertThat(p.forwarded()).isEqualTo(3);
    assertThat(p.exchanges()).extracting(HttpChaosProxy.Exchange::outcome).containsExactly(
        HttpChaosProxy.Outcome.FORWARDED, HttpChaosProxy.Outcome.FORWARDED, HttpChaosProxy.Outcome.THROTTLED,
        HttpChaosProxy.Outcome.THROTTLED, HttpChaosProxy.Outcome.FAILED, HttpChaosProxy.Outcome.FORWARDED);
    assertThat(p.exchanges().get(1)).matches(e -> e.method().equals("PUT") && e.path().equals("/_lag")
        && e.accepted());
    assertThat(p.exchanges().get(2)).matches(e -> e.status() == 400 && !e.accepted());
  }

  @Test
  void scriptsExactSequencesRefusesWhatARulePicksAndRewritesAnswers() {
    String url = p.url() + "/healthz";
    p.failNext(2, ApiFault.errors(1.0, 503));
    assertThat(Http.get(url).orElseThrow().status()).isEqualTo(503);
    assertThat(Http.get(url).orElseThrow().status()).isEqualTo(503);
    assertThat(Http.get(url).orElseThrow().status()).as("then the current fault (none) again").isEqualTo(200);

    p.refuse(c -> c.method().equals("PUT") && c.body().contains("9.5"), 400, "{\"error\":\"refused\"}");
    assertThat(Http.send("PUT", p.url() + "/_lag", "{\"lagSeconds\": 9.5}").orElseThrow().status()).isEqualTo(400);
    assertThat(api.lagSeconds()).as("the refused call never reached the API").isZero();
    assertThat(Http.send("PUT", p.url() + "/_lag", "{\"lagSeconds\": 1}").orElseThrow().status()).isEqualTo(200);

    p.rewrite(c -> c.path().equals("/healthz"), answer -> answer.replace("ok", "rewritten"));
    assertThat(Http.get(url).orElseThrow().body()).isEqualTo("rewritten\n");
    assertThat(p.exchanges()).extracting(HttpChaosProxy.Exchange::outcome).containsExactly(
        HttpChaosProxy.Outcome.FAILED, HttpChaosProxy.Outcome.FAILED, HttpChaosProxy.Outcome.FORWARDED,
        HttpChaosProxy.Outcome.FAILED, HttpChaosProxy.Outcome.FORWARDED, HttpChaosProxy.Outcome.FORWARDED);

    p.clear();
    p.clearLog();
    assertThat(Http.get(url).orElseThrow().body()).isEqualTo("ok\n");
    assertThat(p.exchanges()).singleElement().matches(HttpChaosProxy.Exchange::accepted);
    assertThat(p.failed()).as("counters are kept").isEqualTo(3);
  }
}
