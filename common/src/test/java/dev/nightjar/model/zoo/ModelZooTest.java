package dev.nightjar.model.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelZooTest {
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn", "tiny-cnn"})
  void everyArchitectureMapsImagesToClassProbabilities(String name) {
    MultiLayerNetwork network = ModelZoo.create(name, FASHION, 1e-3, 1);
    INDArray output =
        network.output(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 28, 28));
    assertThat(output.shape()).containsExactly(4, 10);
    for (int i = 0; i < 4; i++) {
      assertThat(output.getRow(i).sumNumber().doubleValue())
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void fashionCnnHasTheCourseShape() {
    // conv 1→32 (288+32) + bn(4·32) + conv 32→64 (18432+64) + bn(4·64) + dense 2304→600 + 600→120 +
    // 120→10
    long expected =
        320 + 128 + 18_496 + 256 + (2304 * 600 + 600) + (600 * 120 + 120) + (120 * 10 + 10);
    assertThat(ModelZoo.create("fashion-cnn", FASHION, 1e-3, 1).numParams()).isEqualTo(expected);
  }

  @Test
  void separableNetworkIsMuchSmaller() {
    long fashion = ModelZoo.create("fashion-cnn", FASHION, 1e-3, 1).numParams();
    assertThat(ModelZoo.create("separable-cnn", FASHION, 1e-3, 1).numParams())
        .isLessThan(fashion / 20);
  }

  @Test
  void unknownNameNamesTheKeyAndTheChoices() {
    assertThatThrownBy(() -> ModelZoo.architecture("resnet"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nightjar.train.model = resnet")
        .hasMessageContaining("fashion-cnn, lenet, separable-cnn, tiny-cnn");
  }
}
