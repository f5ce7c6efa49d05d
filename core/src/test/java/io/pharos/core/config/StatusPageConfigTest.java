package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusPageConfigTest {
  @Test
  void withoutTheSectionThePageIsPublicWithNinetyDaysOfHistory() {
    StatusPageConfig s = TestConfigs.threeRegions().statusPage();
    assertThat(s).isEqualTo(StatusPageConfig.defaults());
    assertThat(s.publicPage()).isTrue();
    assertThat(s.retention()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void readsEverySetting() {
    StatusPageConfig s = ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "statusPage: { title: \"Acme status\", retention: 30d, public: false }\n", TestConfigs.ENV).statusPage();
    assertThat(s).isEqualTo(new StatusPageConfig("Acme status", Duration.ofDays(30), false));
  }

  @Test
  void badSettingsNameTheirField() {
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "statusPage: { retention: 500d }\n", TestConfigs.ENV)).hasMessageContaining("statusPage.retention")
        .hasMessageContaining("at most 400d");
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "statusPage: { retension: 30d }\n", TestConfigs.ENV)).hasMessageContaining("retension")
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "statusPage: { public: maybe }\n", TestConfigs.ENV)).hasMessageContaining("statusPage.public");
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "statusPage: { retention: 0s }\n", TestConfigs.ENV)).hasMessageContaining("statusPage.retention");
  }
}
