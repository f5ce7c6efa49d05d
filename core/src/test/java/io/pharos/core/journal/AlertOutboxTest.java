package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertOutboxTest {
  ControlState state = ControlState.initial(TestConfigs.threeRegions());
  long index;

  private void apply(JournalEntry e) {
    Applied a = state.apply(e, 1, ++index);
    assertThat(a.accepted()).as(a.detail()).isTrue();
    state = a.state();
  }

  private static AlertRaised alert(String code, String region, boolean cleared) {
    return new AlertRaised(code, "WARNING", region, code + " on " + region, cleared, 1, 1_000, "c1");
  }

  @Test
  void numbersEveryChangeAndGivesAClearTheIncidentOfItsRaise() {
    apply(alert("MonitoringPartition", "b", false));
    apply(alert("RegionDegraded", "c", false));
    apply(alert("MonitoringPartition", "b", true));
    apply(alert("MonitoringPartition", "b", false));
    AlertOutbox o = state.outbox();
    assertThat(o.lastSeq()).isEqualTo(4);
    assertThat(o.pending()).extracting(OutboxAlert::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(o.pending()).extracting(OutboxAlert::incident).containsExactly(1L, 2L, 1L, 4L);
    assertThat(o.isOpen("MonitoringPartition", "b")).isTrue();
    assertThat(o.open()).containsEntry("MonitoringPartition/b", 4L).containsEntry("RegionDegraded/c", 2L);
    // on the timeline as before
    assertThat(state.alerts()).hasSize(4);
  }

  @Test
  void aClearOfAConditionNeverRaisedHasNothingToResolve() {
    apply(alert("RegionDegraded", "a", true));
    assertThat(state.outbox().pending()).isEmpty();
    assertThat(state.alerts()).hasSize(1);
  }

  @Test
  void watermarksOnlyMoveForwardAndNeverPastTheLastAlert() {
    apply(alert("MonitoringPartition", "b", false));
    apply(alert("MonitoringPartition", "b", true));
    apply(new AlertDelivered(Map.of("oncall", 2L, "chat", 1L), 1, 2_000, "c1"));
    apply(new AlertDelivered(Map.of("oncall", 1L, "chat", 9L), 1, 2_000, "c1"));
    assertThat(state.outbox().deliveredUpTo("oncall")).isEqualTo(2);
    assertThat(state.outbox().deliveredUpTo("chat")).isEqualTo(2);
    assertThat(state.outbox().deliveredUpTo("am")).isZero();
    // bookkeeping, not a timeline event
    assertThat(state.timeline()).hasSize(2);
  }

  @Test
  void survivesASnapshotAndAnOldSnapshotWithoutItStartsEmpty() throws Exception {
    apply(alert("MonitoringPartition", "b", false));
    apply(new AlertDelivered(Map.of("oncall", 1L), 1, 2_000, "c1"));
    ControlState back = JournalCodec.decodeState(JournalCodec.encodeState(state));
    assertThat(back.outbox()).isEqualTo(state.outbox());
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JournalCodec.mapper().readTree(
        JournalCodec.encodeState(state));
    tree.remove("outbox");
    assertThat(JournalCodec.decodeState(JournalCodec.mapper().writeValueAsBytes(tree)).outbox())
        .isEqualTo(AlertOutbox.EMPTY);
  }

  @Test
  void theDeliveredWatermarkIsAVersionTwoEntryThatDecodesBack() throws Exception {
    AlertDelivered d = new AlertDelivered(Map.of("oncall", 3L), 4, 5, "c2");
    assertThat(JournalCodec.formatVersion(d)).isEqualTo(2);
    assertThat(JournalCodec.decode(JournalCodec.encode(d))).isEqualTo(d);
  }

  @Test
  void keepsABoundedNumberOfChanges() {
    for (int i = 0; i < AlertOutbox.MAX_PENDING + 20; i++) {
      apply(alert("RegionDegraded", "r" + i, false));
    }
    assertThat(state.outbox().pending()).hasSize(AlertOutbox.MAX_PENDING);
    assertThat(state.outbox().pending().get(0).seq()).isEqualTo(21);
    assertThat(state.outbox().open()).hasSize(AlertOutbox.MAX_OPEN);
  }
}
