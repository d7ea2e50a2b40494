package dev.nightjar.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FitCountTest {
  private static final List<String> SHARDS = List.of("s/0", "s/1", "s/2");

  @Test
  void everyShardFittedPasses() {
    FitCount count = new FitCount(300, Set.copyOf(SHARDS), 4);
    assertThatCode(() -> count.requireAll(SHARDS, 300, "epoch 1")).doesNotThrowAnyException();
  }

  @Test
  void aShardNeverFittedIsNamed() {
    FitCount count = new FitCount(200, Set.of("s/0", "s/2"), 2);
    assertThatThrownBy(() -> count.requireAll(SHARDS, 300, "epoch 2"))
        .hasMessage(
            "epoch 2 fitted 200 of its 300 examples: 1 of 3 shards were never fitted (s/1)");
  }

  @Test
  void shardsHoldingFewerExamplesThanTheManifestFail() {
    FitCount count = new FitCount(299, Set.copyOf(SHARDS), 3);
    assertThatThrownBy(() -> count.requireAll(SHARDS, 300, "epoch 1"))
        .hasMessageStartingWith("epoch 1 fitted 299 of its 300 examples: 0 of 3 shards");
  }
}
