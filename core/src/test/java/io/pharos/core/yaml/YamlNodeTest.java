package io.pharos.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlNodeTest {
  private static final String REGIONS = """
      # two regions
      regions:
        - name: a
          endpoints:
            - { id: app, url: "http://a/healthz" }
        - name: b
          endpoints:
            - id: app
              url: not-a-url
              timeout: 2s
      """;

  private enum Drift { REPORT, REPAIR }

  private static List<String> problems(YamlDocument doc) {
    return doc.problems().stream().map(YamlProblem::toString).toList();
  }

  @Test
  void aValueKnowsItsPathAndLineInsideLists() {
    YamlDocument doc = YamlDocument.parse(REGIONS);
    YamlNode b = doc.root().get("regions").items().get(1);
    YamlNode url = b.get("endpoints").items().get(0).get("url");

    assertThat(url.path()).isEqualTo("regions[1].endpoints[0].url");
    assertThat(url.line()).isEqualTo(9);
    assertThat(url.text()).isEqualTo("not-a-url");
    url.problem("not an absolute http(s) URL");
    assertThat(problems(doc)).containsExactly("regions[1].endpoints[0].url (line 9): not an absolute http(s) URL");
    assertThat(b.line()).isEqualTo(6);
    assertThat(doc.root().get("regions").items().get(0).get("endpoints").items().get(0).get("url").line()).isEqualTo(5);
  }

  @Test
  void aMissingKeyPointsAtItsMappingExceptAtTheTopLevel() {
    YamlDocument doc = YamlDocument.parse(REGIONS);
    YamlNode endpoint = doc.root().get("regions").items().get(1).get("endpoints").items().get(0);

    endpoint.get("expect").get("status").required("is required");
    doc.root().get("dns").required("is required");

    assertThat(problems(doc)).containsExactly("regions[1].endpoints[0].expect.status (line 8): is required",
        "dns: is required");
  }

  @Test
  void unknownKeysGetTheClosestKnownOneOrTheListOfKnownOnes() {
    YamlDocument doc = YamlDocument.parse("probes: { intervall: 1s, colour: blue, timeout: 1s }\n");
    doc.root().mapping(Set.of("probes")).get("probes").mapping(Set.of("interval", "timeout"));

    assertThat(problems(doc)).containsExactly(
        "probes.intervall (line 1): unknown field (did you mean 'interval'?)",
        "probes.colour (line 1): unknown field; expected one of: interval, timeout");
  }

  @Test
  void wrongTypesAreReportedAndTheDefaultIsUsed() {
    YamlDocument doc = YamlDocument.parse("""
        name: [a, b]
        count: many
        big: 99999999999999999999
        on: maybe
        rate: 150%
        drift: reapir
        probes: 5
        list: { a: 1 }
        """);
    YamlNode r = doc.root();

    assertThat(r.get("name").text("dflt")).isEqualTo("dflt");
    assertThat(r.get("count").integer(3, 1, 10)).isEqualTo(3);
    assertThat(r.get("big").integer(4, 1, 10)).isEqualTo(4);
    assertThat(r.get("on").bool(true)).isTrue();
    assertThat(r.get("rate").fraction(0.5)).isEqualTo(0.5);
    assertThat(r.get("drift").enumValue(Drift.class, Drift.REPORT)).isEqualTo(Drift.REPORT);
    assertThat(r.get("probes").mapping(Set.of("interval")).get("interval").text("1s")).isEqualTo("1s");
    assertThat(r.get("list").items()).isEmpty();
    assertThat(problems(doc)).containsExactly(
        "name (line 1): expected a single value, found a list",
        "count (line 2): expected a whole number, found 'many'",
        "big (line 3): must be between 1 and 10, was 99999999999999999999",
        "on (line 4): expected true or false, found 'maybe'",
        "rate (line 5): must be between 0 and 1 (or 0% and 100%), was 150%",
        "drift (line 6): 'reapir' is not one of report, repair (did you mean 'repair'?)",
        "probes (line 7): expected a mapping (key: value), found '5'",
        "list (line 8): expected a list, found a mapping");
  }

  @Test
  void scalarsAreTypedByTheGetterNotByHowYamlWouldGuess() {
    YamlNode r = YamlDocument.parse("""
        status: "200"
        hex: 0x1F
        big: 10_000
        name: 123
        flag: yes
        share: 25%
        mode: Repair
        """).root();

    assertThat(r.get("status").integer(0, 0, 999)).isEqualTo(200);
    assertThat(r.get("hex").integer(0, 0, 999)).isEqualTo(31);
    assertThat(r.get("big").integer(0, 0, 100_000)).isEqualTo(10_000);
    assertThat(r.get("name").text()).isEqualTo("123");
    assertThat(r.get("flag").bool(false)).isTrue();
    assertThat(r.get("share").fraction(0)).isEqualTo(0.25);
    assertThat(r.get("mode").enumValue(Drift.class, Drift.REPORT)).isEqualTo(Drift.REPAIR);
  }

  @Test
  void nullCountsAsNotWritten() {
    YamlNode r = YamlDocument.parse("a:\nb: ~\nc: null\nd: \"null\"\n").root();

    assertThat(r.has("a")).isFalse();
    assertThat(r.get("b").text("x")).isEqualTo("x");
    assertThat(r.get("c").isPresent()).isFalse();
    assertThat(r.get("d").text()).isEqualTo("null");
    assertThat(r.keys()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aParseFailureBecomesAProblemWithItsMessage() {
    YamlDocument doc = YamlDocument.parse("every: 5 minutes\nthen: 2s\n");
    Duration none = doc.root().get("every").value(YamlNodeTest::duration, null);

    assertThat(none).isNull();
    assertThat(doc.root().get("then").value(YamlNodeTest::duration, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(problems(doc)).containsExactly("every (line 1): '5 minutes' is not a duration");
  }

  private static Duration duration(String s) {
    if (!s.matches("\\d+s")) {
      throw new IllegalArgumentException("'" + s + "' is not a duration");
    }
    return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
  }

  @Test
  void textsTakeAListOrASingleValue() {
    YamlDocument doc = YamlDocument.parse("one: x\nmany: [x, y]\nbad: [x, {k: v}, ~]\n");
    YamlNode r = doc.root();

    assertThat(r.get("one").texts()).containsExactly("x");
    assertThat(r.get("many").texts()).containsExactly("x", "y");
    assertThat(r.get("none").texts()).isEmpty();
    assertThat(r.get("bad").texts()).containsExactly("x");
    assertThat(problems(doc)).containsExactly("bad[1] (line 3): expected a single value, found a mapping",
        "bad[2] (line 3): expected a value, found nothing");
  }

  @Test
  void requiredItemsReportAMissingOrEmptyList() {
    YamlDocument doc = YamlDocument.parse("empty: []\n");

    assertThat(doc.root().get("empty").requiredItems()).isEmpty();
    assertThat(doc.root().get("missing").requiredItems()).isEmpty();
    assertThat(problems(doc)).containsExactly("empty (line 1): must not be empty", "missing: is required (a list)");
  }

  @Test
  void emptyDocumentsAreEmpty() {
    for (String text : List.of("", "# only a comment\n", "~\n", "---\n", "null")) {
      assertThat(YamlDocument.parse(text).isEmpty()).as("'%s'", text).isTrue();
    }
    assertThat(YamlDocument.parse("a: 1").isEmpty()).isFalse();
    YamlDocument list = YamlDocument.parse("- a\n- b\n");
    list.root().mapping(Set.of());
    assertThat(problems(list)).containsExactly("line 1: expected a mapping (key: value), found a list");
  }

  @Test
  void brokenYamlNamesLineAndColumn() {
    assertThatThrownBy(() -> YamlDocument.parse("regions:\n  - name: a\n   endpoints: ["))
        .isInstanceOf(YamlSyntaxException.class)
        .hasMessageStartingWith("line 3, column ")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void aSecondDocumentIsAnErrorNotSilentlyDropped() {
    assertThatThrownBy(() -> YamlDocument.parse("a: 1\n---\nb: 2\n"))
        .isInstanceOf(YamlSyntaxException.class)
        .hasMessageStartingWith("line 2, column 1: not valid YAML: expected a single document in the stream")
        .satisfies(e -> assertThat(((YamlSyntaxException) e).line()).isEqualTo(2));
  }

  @Test
  void aliasesResolveToTheirAnchorAndMergeKeysApply() {
    YamlDocument doc = YamlDocument.parse("""
        defaults: &probe { interval: 1s, timeout: 500ms }
        endpoints:
          - { <<: *probe, id: a }
          - { <<: *probe, id: b, timeout: 2s }
          - *probe
        """);
    List<YamlNode> eps = doc.root().get("endpoints").items();

    assertThat(eps.get(0).get("interval").text()).isEqualTo("1s");
    assertThat(eps.get(0).get("interval").line()).as("where the value is written").isEqualTo(1);
    assertThat(eps.get(0).keys()).containsExactly("id", "interval", "timeout");
    assertThat(eps.get(1).get("timeout").text()).as("own keys win over merged ones").isEqualTo("2s");
    assertThat(eps.get(2).get("timeout").text()).isEqualTo("500ms");
    assertThat(eps.get(2).get("timeout").path()).isEqualTo("endpoints[2].timeout");
    eps.get(0).mapping(Set.of("id", "interval"));
    assertThat(problems(doc)).containsExactly("endpoints[0].timeout (line 1): unknown field; expected one of: id, interval");
  }

  @Test
  void aMergeCycleEndsInsteadOfLooping() {
    YamlDocument doc = YamlDocument.parse("a: &a { x: 1, <<: [*a] }\n");

    assertThat(doc.root().get("a").get("x").text()).isEqualTo("1");
    assertThat(doc.root().get("a").keys()).containsExactly("x");
  }

  @Test
  void aRepeatedKeyTakesItsLastValue() {
    YamlDocument doc = YamlDocument.parse("policy: { cooldown: 5m, mode: auto, cooldown: 10s }\n");
    YamlNode p = doc.root().get("policy").mapping(Set.of("cooldown", "mode"));

    assertThat(p.get("cooldown").text()).isEqualTo("10s");
    assertThat(doc.hasProblems()).isFalse();
  }

  @Test
  void aKeyThatIsNotTextIsReported() {
    YamlDocument doc = YamlDocument.parse("? [a, b]\n: 1\nc: 2\n");
    doc.root().mapping(Set.of("c"));

    assertThat(problems(doc)).containsExactly("line 1: a key must be a single value, found a list");
  }

  @Test
  void aScalarFilterRewritesEveryValueReadAndReportsWhereItIsUsed() {
    YamlDocument doc = YamlDocument.parse("vars: { r: us-east }\ntarget: app@${r}\nsides: [\"${r}\", \"${nope}\"]\n");
    Map<String, String> vars = Map.of("r", "eu-west");
    YamlNode top = doc.root((text, at) -> {
      if (text.contains("${nope}")) {
        at.problem("unknown variable ${nope}");
      }
      return text.replace("${r}", vars.get("r"));
    });

    assertThat(doc.root().get("target").text()).as("the unfiltered view").isEqualTo("app@${r}");
    assertThat(top.get("target").text()).isEqualTo("app@eu-west");
    assertThat(top.get("sides").texts()).containsExactly("eu-west", "${nope}");
    assertThat(problems(doc)).containsExactly("sides[1] (line 3): unknown variable ${nope}");
  }

  @Test
  void eachProblemIsReportedOnce() {
    YamlDocument doc = YamlDocument.parse("a: x\n");
    doc.root().get("a").integer(0, 0, 1);
    doc.root().get("a").integer(0, 0, 1);

    assertThat(doc.problems()).hasSize(1);
  }

  @Test
  void whereNamesPathAndLine() {
    YamlNode r = YamlDocument.parse("a:\n  b: 1\n").root();

    assertThat(r.get("a").get("b").where()).isEqualTo("a.b (line 2)");
    assertThat(r.get("z").where()).isEqualTo("z");
  }
}
