package dev.nightjar.optimize.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class ModelCostTest {
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);
  private static final InputType INPUT = InputType.convolutional(28, 28, 1);

  @Test
  void countsFashionCnnByHand() {
    MultiLayerNetwork network = ModelZoo.create("fashion-cnn", FASHION, 1e-3, 1);
    // conv 3x3 1→32 on 28x28 (same), conv 3x3 32→64 on 12x12 (truncate), dense 2304→600→120→10.
    long macs = 28 * 28 * 32 * 9 + 12 * 12 * 64 * 32 * 9 + 2304 * 600 + 600 * 120 + 120 * 10;
    assertThat(ModelCost.of(network, INPUT)).isEqualTo(new ModelCost(network.numParams(), macs));
  }

  @Test
  void countsSeparableConvolutionsAsDepthwisePlusPointwise() {
    MultiLayerNetwork network = ModelZoo.create("separable-cnn", FASHION, 1e-3, 1);
    // stem 3x3 1→16 on 28x28; separable 16→32 on 28x28; 32→64 on 14x14; 64→128 on 7x7; dense
    // 128→10.
    long macs =
        28 * 28 * 16 * 9
            + 28 * 28 * (16 * 9 + 16 * 32)
            + 14 * 14 * (32 * 9 + 32 * 64)
            + 7 * 7 * (64 * 9 + 64 * 128)
            + 128 * 10;
    assertThat(ModelCost.of(network, INPUT).macs()).isEqualTo(macs);
  }

  @Test
  void theTinyStudentCostsAFractionOfTheTeacher() {
    ModelCost teacher = ModelCost.of(ModelZoo.create("fashion-cnn", FASHION, 1e-3, 1), INPUT);
    ModelCost student = ModelCost.of(ModelZoo.create("tiny-cnn", FASHION, 1e-3, 1), INPUT);
    assertThat(student.macs()).isLessThan(teacher.macs() / 4);
    assertThat(student.parameters()).isLessThan(teacher.parameters() / 15);
  }
}
