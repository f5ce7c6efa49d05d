package io.pharos.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
  private static final String VALID = """
      name: my-drill
      vars: { region: us-east }
      steps:
        - inject: { id: loss, fault: kill, target: "app@${region}" }
        - wait: { until: dns-committed, region: "${region}", within: 30s }
        - revert: loss
      expect:
        failover: { regions: ["${region}"] }
      """;

  @Test
  void everyBuiltInDrillIsValid() {
    assertThat(ScenarioLibrary.all()).hasSize(ScenarioLibrary.NAMES.size());
    assertThat(ScenarioLibrary.all().stream().filter(s -> s.pending() != null).map(Scenario::name))
        .isEmpty();
    assertThat(ScenarioLibrary.load("dns-provider-throttled", Map.of()).environment().dns()).isEqualTo("route53");
    Scenario evac = ScenarioLibrary.load("evacuation-and-failback", Map.of());
    assertThat(evac.expect().evacuated()).containsExactly("us-east");
    assertThat(evac.steps()).filteredOn(st -> st instanceof Scenario.Operator).extracting(Scenario.Step::describe)
        .containsExactly("operator evacuate us-east steps [75, 50, 0] hold 2.0 s", "operator failback us-east");
  }

  @Test
  void aSandboxNamesItsDnsProviderAndABadOneIsNamed() {
    String route53 = "environment: { sandbox: { dns: route53 } }\n" + VALID;
    assertThat(ScenarioParser.parse(route53, "my.yaml", Map.of()).environment().dns()).isEqualTo("route53");
    assertThat(ScenarioParser.parse(VALID, "my.yaml", Map.of()).environment().dns()).isEqualTo("embedded");
    assertThatThrownBy(() -> ScenarioParser.parse("environment: { sandbox: { dns: route54 } }\n" + VALID, "my.yaml",
        Map.of())).hasMessageContaining("line 1: environment.sandbox.dns: 'route54' is not a sandbox DNS provider:"
            + " use embedded");
  }

  @Test
  void aSandboxOfItsOwnTakesAnAutomationModeAndTheDrillPolicyKeepsTheRest() {
    Scenario approve = ScenarioLibrary.load("approve-mode", Map.of());
    assertThat(approve.environment().policy()).containsEntry("mode", "approve")
        .containsEntry("approvalEscalateAfter", "15s");
    assertThat(approve.environment().sharedSandbox()).as("an approve-mode sandbox is not the shared one").isFalse();
    assertThat(ScenarioParser.parse(VALID, "my.yaml", Map.of()).environment().sharedSandbox()).isTrue();
    assertThat(io.pharos.chaos.drill.DrillEnvironments.POLICY).startsWith("{ mode: auto, cooldown: 2s");
    assertThatThrownBy(() -> ScenarioParser.parse("environment: { sandbox: { policy: { mode: aprove,"
        + " cooldown: 1s } } }\n" + VALID, "my.yaml", Map.of()))
        .hasMessageContaining("environment.sandbox.policy.mode: 'aprove' is not an automation mode: use auto, approve"
            + " or observe")
        .hasMessageContaining("environment.sandbox.policy.cooldown");
    assertThatThrownBy(() -> ScenarioParser.parse("environment: { sandbox: { policy: { approvalEscalateAfter: soon"
        + " } } }\n" + VALID, "my.yaml", Map.of())).hasMessageContaining("environment.sandbox.policy"
            + ".approvalEscalateAfter");
  }

  @Test
  void aProviderFaultOnTheEmbeddedSandboxIsRefusedWithTheFix() {
    String text = VALID.replace("  - revert: loss\n", "  - inject: { id: t, fault: dns-provider, throttleRate: 80%,"
        + " style: aws }\n  - revert: loss\n");
    assertThatThrownBy(() -> ScenarioParser.parse(text, "my.yaml", Map.of()))
        .hasMessageContaining("the dns-provider fault of line 6 needs a provider API to fault")
        .hasMessageContaining("environment: { sandbox: { dns: route53 } }");
    assertThat(ScenarioParser.parse("environment: { sandbox: { dns: route53 } }\n" + text, "my.yaml", Map.of())
        .steps()).hasSize(4);
  }

  @Test
  void operatorStepsAreValidatedNamingTheField() {
    String evac = """
        name: evac
        steps:
          - operator: { command: evacuate, region: us-east, steps: [50, 75, 0], hold: 2s }
          - operator: { command: evacuat, region: us-east }
          - operator: { command: failback }
          - operator: { command: failback, region: us-east, hold: 2s }
          - operator: { command: evacuate, region: us-east, steps: [75, half], hold: 10ms }
          - wait: { until: weight, region: us-east, is: lots, within: 5s }
          - wait: { until: evacuation, region: us-east, is: gone, within: 5s }
        expect:
          noFailover: true
          evacuated: [us-east]
        """;
    assertThatThrownBy(() -> ScenarioParser.parse(evac, "e.yaml", Map.of()))
        .hasMessageContaining("line 3: steps[0].operator.steps: steps must go down, but steps[1] = 75 follows 50")
        .hasMessageContaining("line 4: steps[1].operator.command: unknown operator command 'evacuat' (did you mean"
            + " 'evacuate'?)")
        .hasMessageContaining("line 5: steps[2].operator.region: missing")
        .hasMessageContaining("steps[3].operator.hold: unknown field 'hold' for operator command failback")
        .hasMessageContaining("steps[4].operator.steps: 'half' is not a whole percentage")
        .hasMessageContaining("steps[5].wait.is: a weight condition needs is:")
        .hasMessageContaining("steps[6].wait.is: an evacuation condition needs is: one of aborting, evacuated, none,"
            + " paused, running");
    String ok = evac.lines().filter(l -> !l.contains("command: evacuat,") && !l.contains("command: failback")
        && !l.contains("half") && !l.contains("lots") && !l.contains("gone")).map(l -> l.replace("[50, 75, 0]", "[50, 0]"))
        .reduce("", (a, b) -> a + b + "\n");
    Scenario s = ScenarioParser.parse(ok, "e.yaml", Map.of());
    Scenario.Operator op = (Scenario.Operator) s.steps().get(0);
    assertThat(op.steps()).containsExactly(50, 0);
    assertThat(op.hold()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(op.reason()).isEqualTo("drill evac");
  }

  @Test
  void aValidScenarioWithVariablesAndOverrides() {
    Scenario s = ScenarioParser.parse(VALID, "my.yaml", Map.of("region", "eu-west"));
    assertThat(s.steps()).hasSize(3);
    assertThat(((Scenario.Inject) s.steps().get(0)).target()).isEqualTo("app@eu-west");
    assertThat(s.expect().failoverRegions()).containsExactly("eu-west");
    assertThat(s.environment().kind()).isEqualTo(Scenario.Kind.SANDBOX);
  }

  @Test
  void anUnknownStepNamesTheLineAndTheClosestStep() {
    String text = VALID.replace("- wait: {", "- wiat: {");
    assertThatThrownBy(() -> ScenarioParser.parse(text, "my.yaml", Map.of()))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("my.yaml: line 5: steps[1]: unknown step 'wiat' (did you mean 'wait'?)");
  }

  @Test
  void aMissingTargetIsNamed() {
    String text = VALID.replace("target: \"app@${region}\" ", "");
    assertThatThrownBy(() -> ScenarioParser.parse(text, "my.yaml", Map.of()))
        .hasMessageContaining("line 4: steps[0].inject.target: missing; a kill needs a target: a process such as"
            + " app@us-east");
  }

  @Test
  void aBadDurationIsNamed() {
    String text = VALID.replace("within: 30s", "within: 30 seconds");
    assertThatThrownBy(() -> ScenarioParser.parse(text, "my.yaml", Map.of()))
        .hasMessageContaining("line 5: steps[1].wait.within: '30 seconds' is not a duration (use a number and ms, s,"
            + " m, h or d: 500ms, 1s, 5m)");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String text = """
        name: Bad Name
        steps:
          - inject: { fault: kil, target: app@us-east }
          - inject: { fault: endpoint, target: app@us-east, errorRate: 1.5 }
          - wait: { until: dns-commited, within: 5x }
          - revert: nope
        expect: {}
        colour: blue
        """;
    ScenarioException e = (ScenarioException) org.junit.jupiter.api.Assertions.assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse(text, "bad.yaml", Map.of()));
    assertThat(e.problems()).anyMatch(p -> p.contains("line 1: name: 'Bad Name' is not a valid name"))
        .anyMatch(p -> p.contains("line 3: steps[0].inject.fault: unknown fault 'kil' (did you mean 'kill'?)"))
        .anyMatch(p -> p.contains("line 4: steps[1].inject.errorRate: must be between 0 and 1"))
        .anyMatch(p -> p.contains("steps[2].wait.until: unknown condition 'dns-commited' (did you mean"
            + " 'dns-committed'?)"))
        .anyMatch(p -> p.contains("steps[2].wait.within: '5x' is not a duration"))
        .anyMatch(p -> p.contains("line 6: steps[3].revert: no fault with id 'nope' was injected"))
        .anyMatch(p -> p.contains("line 7: expect: say what must happen"))
        .anyMatch(p -> p.contains("line 8: colour: unknown field; expected one of: abort, description"));
  }

  @Test
  void anchorsAreSharedAndAHugeDurationIsAFieldError() {
    String text = """
        name: anchors
        steps:
          - inject: { id: loss, fault: kill, target: app@us-east, lease: 999999999999d }
          - wait: &committed { until: dns-committed, region: us-east, within: 30s }
          - revert: loss
          - wait: *committed
        expect: { noFailover: true }
        """;
    assertThatThrownBy(() -> ScenarioParser.parse(text, "a.yaml", Map.of()))
        .hasMessage("a.yaml: line 3: steps[0].inject.lease: '999999999999d' is too long; the longest duration accepted"
            + " is 36500d (100 years)");

    Scenario s = ScenarioParser.parse(text.replace("999999999999d", "10m"), "a.yaml", Map.of());
    assertThat(s.steps()).hasSize(4);
    Scenario.Wait again = (Scenario.Wait) s.steps().get(3);
    assertThat(again.line()).as("the line of the step, not of the anchor").isEqualTo(6);
    assertThat(again.until().kind()).isEqualTo("dns-committed");
    assertThat(again.within()).isEqualTo(java.time.Duration.ofSeconds(30));
  }

  @Test
  void anUnknownVariableIsNamedWhereItIsUsed() {
    assertThatThrownBy(() -> ScenarioParser.parse(VALID.replace("app@${region}", "app@${regoin}"), "my.yaml",
        Map.of()))
        .hasMessageContaining("my.yaml: line 4: steps[0].inject.target: unknown variable ${regoin}; define it under vars: or pass"
            + " --set regoin=...");
  }

  @Test
  void notYamlIsALineNumberedError() {
    assertThatThrownBy(() -> ScenarioParser.parse("name: x\nsteps: [\n", "x.yaml", Map.of()))
        .hasMessageStartingWith("x.yaml: line ").hasMessageContaining("not valid YAML");
  }

  @Test
  void anUnknownOverrideIsRefused() {
    assertThatThrownBy(() -> ScenarioParser.parse(VALID, "my.yaml", Map.of("regoin", "x")))
        .hasMessageContaining("--set regoin: the scenario has no variable 'regoin'; its variables: region");
  }

  @Test
  void unknownBuiltInNamesTheBuiltIns() {
    assertThatThrownBy(() -> ScenarioLibrary.resolve("hard-region-los", Map.of()))
        .hasMessageContaining("neither a scenario file nor a built-in drill; built-ins: hard-region-loss");
  }
}
