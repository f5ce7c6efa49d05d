package io.pharos.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.HostPort;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.proc.Ports;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every sandbox-like environment derives from its sites: nodes, addresses, controllers, readiness. */
class RegionalEnvironmentTest {
  /** Two regions on the namespace network; region y's agent and controller listen nowhere. */
  private static final class TwoRegions extends RegionalEnvironment {
    private final String appX;
    private final String nowhere = "http://127.0.0.1:" + Ports.free();

    TwoRegions(String appX) {
      this.appX = appX;
    }

    @Override
    protected List<Site> sites() {
      return List.of(
          new Site("x", appX, null, "c-x", null, new HostPort("127.0.0.1", 5301), Set.of("10.0.0.1"),
              Map.of("app", "app-x", "agent", "agent-x", "controller", "c-x")),
          new Site("y", appX, nowhere, "c-y", nowhere, new HostPort("127.0.0.1", 5302), Set.of("10.0.0.2"),
              Map.of("app", "app-y", "agent", "agent-y", "controller", "c-y")));
    }

    @Override
    public String kind() {
      return "test sandbox";
    }

    @Override
    public String describe() {
      return "two regions";
    }

    @Override
    public String record() {
      return "app.pharos.test";
    }
  }

  @Test
  void partitionSidesResolveRegionsComponentsAndWildcards() {
    TwoRegions env = new TwoRegions("http://127.0.0.1:1");
    assertThat(env.nodes(List.of("x"))).containsExactlyInAnyOrder("app-x", "agent-x", "c-x");
    assertThat(env.nodes(List.of("controller@*", "app-y"))).containsExactlyInAnyOrder("c-x", "c-y", "app-y");
    assertThat(env.nodes(List.of("agent@y"))).containsExactly("agent-y");
    assertThatThrownBy(() -> env.nodes(List.of("z"))).hasMessageContaining("'z' is neither a region nor a process")
        .hasMessageContaining("[x, y]");
    assertThatThrownBy(() -> env.nodes(List.of("db@x"))).hasMessageContaining("no component 'db'");
    assertThatThrownBy(() -> env.nodes(List.of("app@z"))).hasMessageContaining("no region 'z' in the test sandbox");
  }

  @Test
  void regionsControllersNameServersAndAddressesComeFromTheSites() {
    TwoRegions env = new TwoRegions("http://127.0.0.1:1");
    assertThat(env.regions()).containsExactly("x", "y");
    assertThat(env.controllerUrls()).hasSize(1);
    assertThat(env.regionOfController("c-y")).contains("y");
    assertThat(env.regionOfController("c-q")).isEmpty();
    assertThat(env.nameServers()).extracting(HostPort::port).containsExactly(5301, 5302);
    assertThat(env.addresses()).containsExactly(Map.entry("x", Set.of("10.0.0.1")), Map.entry("y", Set.of("10.0.0.2")));
    assertThat(env.answerSources()).hasSize(2);
    assertThat(env.lagUrl("app:x")).contains("http://127.0.0.1:1/_lag");
    assertThat(env.agentUrl("x")).isEmpty();
  }

  @Test
  void notReadyNamesTheFirstProcessThatDoesNotAnswerAndWhatCannotBeSignalled() throws Exception {
    try (FaultServer app = new FaultServer("127.0.0.1", 0).start()) {
      TwoRegions env = new TwoRegions("http://127.0.0.1:" + app.port());
      assertThat(env.notReady()).hasValueSatisfying(m -> assertThat(m).startsWith("the agent of y is not ready ("));
      assertThatThrownBy(() -> env.process("app", "x")).hasMessageContaining("cannot signal the processes of two"
          + " regions (app@x)");
    }
    assertThat(new TwoRegions("http://127.0.0.1:" + Ports.free()).notReady())
        .hasValueSatisfying(m -> assertThat(m).startsWith("the app of x does not answer"));
  }
}
