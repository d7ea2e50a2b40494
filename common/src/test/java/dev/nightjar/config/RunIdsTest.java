package dev.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdsTest {
  /**
   * Run ids name folders under the output root: nothing that can climb out, hide or need quoting.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        ".",
        "..",
        ".x",
        "a/b",
        "../escape",
        "a\\b",
        "night-2026.11.28",
        "a b",
        "nuit-été",
        "x:y"
      })
  void anythingButAPlainNameIsRefusedNamingTheKey(String id) {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("run-id=" + id))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "nightjar.run-id = "
                + id
                + ": expected a plain name: letters, digits, '_' and '-' only");
  }

  @Test
  void plainNamesAreKept() {
    assertThat(ConfigLoader.fromOverrides("run-id=night-2026-11-28_1").runId())
        .isEqualTo("night-2026-11-28_1");
    assertThat(ConfigLoader.fromOverrides("run-id=A").runId()).isEqualTo("A");
  }

  @Test
  void generatedIdsArePlainNames() {
    String id = RunIds.generate(LocalDate.of(2026, 11, 28), LocalTime.of(23, 59, 58));
    assertThat(id).matches("2026-11-28_235958_[0-9a-f]{4}");
    assertThat(RunIds.isPlainName(id)).isTrue();
    assertThat(RunIds.isPlainName(RunIds.generate(LocalDate.of(10000, 1, 1), LocalTime.MIDNIGHT)))
        .isTrue();
    assertThat(RunIds.isPlainName(RunIds.resolve("", LocalDate.now()))).isTrue();
  }

  @Test
  void emptyAndNullAreNoPlainNames() {
    assertThat(RunIds.isPlainName("")).isFalse();
    assertThat(RunIds.isPlainName(null)).isFalse();
  }
}
