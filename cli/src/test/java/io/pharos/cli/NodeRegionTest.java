package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRegionTest {
  private static final String NODE = """
      {"kind":"Node","metadata":{"name":"n1","labels":{"topology.kubernetes.io/region":"eu-west",
      "kubernetes.io/hostname":"n1"}}}""";

  @Test
  void readsTheRegionLabelOfTheNode() throws Exception {
    assertThat(NodeRegion.labelOf("n1", "topology.kubernetes.io/region", NODE)).isEqualTo("eu-west");
  }

  @Test
  void aNodeWithoutTheLabelIsRefusedNamingBoth() {
    assertThatThrownBy(() -> NodeRegion.labelOf("n1", "example.com/region", NODE))
        .hasMessageContaining("node 'n1' has no label example.com/region");
  }

  @Test
  void outsideKubernetesItSaysSo() {
    assertThatThrownBy(() -> NodeRegion.read("n1", "topology.kubernetes.io/region", Map.of(), Path.of("/nonexistent")))
        .hasMessageContaining("not running in a Kubernetes pod");
  }

  @Test
  void theRegionsKeyComesFromItsOwnVariable() {
    Map<String, String> env = Map.of("PHAROS_REGION_KEY_EU_WEST", "k-eu", "PHAROS_REGION_KEY_US_EAST", "k-us");
    assertThat(NodeRegion.withRegionKey(env, "eu-west")).containsEntry("PHAROS_REGION_KEY", "k-eu");
    assertThat(NodeRegion.withRegionKey(env, "ap-south")).doesNotContainKey("PHAROS_REGION_KEY");
  }
}
