package io.pharos.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.model.FencingToken;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangePlanTest {
  private final ZoneSnapshot actual = new ZoneSnapshot(Map.of(
      "app.pharos.test", Map.of("a", 50, "b", 30, "c", 20),
      "www.pharos.test", Map.of("a", 1, "b", 1)), new FencingToken(1, 4), 7);

  @Test
  void onlyWeightsThatDifferAreInThePlan() {
    ChangePlan plan = ChangePlan.between(Map.of(
        "app.pharos.test", Map.of("a", 65, "b", 0, "c", 20),
        "www.pharos.test", Map.of("a", 1, "b", 1)), actual);

    assertThat(plan.changes()).containsExactly(
        new RecordChange("app.pharos.test", "a", 50, 65),
        new RecordChange("app.pharos.test", "b", 30, 0));
  }

  @Test
  void sameWeightsMakeAnEmptyPlan() {
    ChangePlan plan = ChangePlan.between(actual.weights(), actual);

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.describe()).isEqualTo("no changes");
  }

  @Test
  void describeGivesOneLinePerChangeInNameOrder() {
    ChangePlan plan = ChangePlan.between(Map.of(
        "www.pharos.test", Map.of("b", 0),
        "app.pharos.test", Map.of("b", 0, "a", 80)), actual);

    assertThat(plan.describe()).isEqualTo("""
        app.pharos.test a 50 -> 80
        app.pharos.test b 30 -> 0
        www.pharos.test b 1 -> 0""");
  }

  @Test
  void whatDesiredLeavesOutStaysAsItIs() {
    ChangePlan plan = ChangePlan.between(Map.of("app.pharos.test", Map.of("b", 0)), actual);

    assertThat(plan.weightsAfter(actual)).isEqualTo(Map.of(
        "app.pharos.test", Map.of("a", 50, "b", 0, "c", 20),
        "www.pharos.test", Map.of("a", 1, "b", 1)));
  }

  @Test
  void aRegionTheZoneDoesNotHaveYetStartsFromZero() {
    ChangePlan plan = ChangePlan.between(Map.of("app.pharos.test", Map.of("d", 5)), actual);

    assertThat(plan.changes()).containsExactly(new RecordChange("app.pharos.test", "d", 0, 5));
  }

  @Test
  void aPlanCannotChangeTheSameWeightTwice() {
    assertThatThrownBy(() -> new ChangePlan(List.of(
        new RecordChange("app.pharos.test", "a", 1, 2), new RecordChange("app.pharos.test", "a", 1, 3))))
        .hasMessageContaining("app.pharos.test a twice");
  }

  @Test
  void aChangeThatChangesNothingIsRejected() {
    assertThatThrownBy(() -> new RecordChange("app.pharos.test", "a", 3, 3)).hasMessageContaining("does not change");
  }
}
