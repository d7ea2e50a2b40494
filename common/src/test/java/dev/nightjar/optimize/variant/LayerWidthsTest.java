package dev.nightjar.optimize.variant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.optimize.prune.FilterPruner;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class LayerWidthsTest {
  @Test
  void listsTheOutputsOfEveryWeightedLayerAndSkipsBatchNormAndPooling() {
    MultiLayerNetwork fashionCnn =
        ModelZoo.create("fashion-cnn", new ModelInput(1, 28, 28, 10), 1e-3, 1);
    assertThat(LayerWidths.of(fashionCnn)).isEqualTo("32, 64, 600, 120, 10");
    assertThat(LayerWidths.of(FilterPruner.prune(fashionCnn, 0.3, 16)))
        .isEqualTo("16, 48, 420, 84, 10");
  }
}
