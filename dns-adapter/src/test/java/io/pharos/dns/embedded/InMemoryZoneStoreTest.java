package io.pharos.dns.embedded;

import static io.pharos.dns.TestZones.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.TestZones;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InMemoryZoneStoreTest {
  private final InMemoryZoneStore store = InMemoryZoneStore.fromConfig(TestZones.pharosTest());

  @Test
  void startsFromTheConfigBaseWeightsAtSerialOne() {
    ZoneState zone = store.current();

    assertThat(zone.serial()).isEqualTo(1);
    assertThat(zone.token()).isEqualTo(FencingToken.NONE);
    assertThat(zone.weights().get(APP)).containsEntry("a", 50).containsEntry("b", 30).containsEntry("c", 20);
  }

  @Test
  void aNewerTokenCommitsAndBumpsTheSerial() {
    List<ZoneState> seen = new ArrayList<>();
    store.onChange(seen::add);

    ZoneState committed = store.commit(TestZones.with(store.current().weights(), APP, "b", 0), new FencingToken(2, 9))
        .join();

    assertThat(committed.serial()).isEqualTo(2);
    assertThat(committed.token()).isEqualTo(new FencingToken(2, 9));
    assertThat(store.current()).isEqualTo(committed);
    assertThat(seen).containsExactly(committed);
  }

  @Test
  void anOlderTokenIsRefusedAndNothingChanges() {
    store.commit(TestZones.with(store.current().weights(), APP, "b", 0), new FencingToken(2, 9)).join();
    ZoneState before = store.current();

    assertThatThrownBy(() -> store.commit(TestZones.with(before.weights(), APP, "b", 30), new FencingToken(1, 50)).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(StaleTokenException.class)
        .hasMessageContaining("1:50").hasMessageContaining("2:9");
    assertThat(store.current()).isEqualTo(before);
  }

  @Test
  void theSameTokenAgainIsANoOpWithSameWeightsAndRefusedWithOthers() {
    var weights = TestZones.with(store.current().weights(), APP, "b", 0);
    ZoneState first = store.commit(weights, new FencingToken(2, 9)).join();

    assertThat(store.commit(weights, new FencingToken(2, 9)).join()).isEqualTo(first);
    assertThat(store.commit(TestZones.with(weights, APP, "c", 0), new FencingToken(2, 9)))
        .isCompletedExceptionally();
    assertThat(store.current().serial()).isEqualTo(2);
  }
}
