package dev.nightjar.optimize.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FilterPrunerTest {
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);

  private static MultiLayerNetwork create(String name) {
    return ModelZoo.create(name, FASHION, 1e-3, 11);
  }

  private static INDArray randomImages(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28);
  }

  /** Every parameter's shape, "layer_name=[dims]", in order. */
  private static List<String> shapes(MultiLayerNetwork network) {
    List<String> shapes = new ArrayList<>();
    network
        .paramTable()
        .forEach((key, value) -> shapes.add(key + "=" + Arrays.toString(value.shape())));
    return shapes;
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void pruningNothingChangesNothing(String name) {
    MultiLayerNetwork original = create(name);
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.0);
    assertThat(shapes(pruned)).isEqualTo(shapes(original));
    INDArray images = randomImages(1);
    assertThat(pruned.output(images).equalsWithEps(original.output(images), 1e-6)).isTrue();
  }

  @Test
  void fashionCnnLosesHalfOfItsFiltersAndNeurons() {
    MultiLayerNetwork original = create("fashion-cnn");
    double[] before = ParamArrays.values(original.params());
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);

    // 28×28 → conv (same) 28×28 → pool 14×14 → conv (truncate) 12×12 → pool 6×6: 32 channels × 36
    // rows.
    assertThat(shapes(pruned))
        .containsExactly(
            "0_b=[16]",
            "0_W=[16, 1, 3, 3]",
            "1_gamma=[16]",
            "1_beta=[16]",
            "1_mean=[16]",
            "1_log10stdev=[16]",
            "4_b=[32]",
            "4_W=[32, 16, 3, 3]",
            "5_gamma=[32]",
            "5_beta=[32]",
            "5_mean=[32]",
            "5_log10stdev=[32]",
            "8_W=[1152, 300]",
            "8_b=[300]",
            "10_W=[300, 60]",
            "10_b=[60]",
            "11_W=[60, 10]",
            "11_b=[10]");
    assertThat(original.numParams()).isEqualTo(1_475_530);
    assertThat(pruned.numParams()).isEqualTo(160 + 64 + 4_640 + 128 + 345_900 + 18_060 + 610);
    // Arrays.equals, not containsExactly: AssertJ's diff is quadratic on a million and a half
    // doubles.
    assertThat(Arrays.equals(ParamArrays.values(original.params()), before))
        .as("the input network is untouched")
        .isTrue();

    INDArray images = randomImages(2);
    assertThat(pruned.output(images).shape()).containsExactly(16, 10);
    INDArray weightsBefore = pruned.params().dup();
    for (int step = 0; step < 2; step++) {
      pruned.fit(MagnitudePrunerTest.randomBatch(step));
    }
    assertThat(Double.isFinite(pruned.score())).isTrue();
    assertThat(pruned.params().equalsWithEps(weightsBefore, 1e-9))
        .as("fit moved the weights")
        .isFalse();
  }

  @Test
  void leNetLosesHalfOfItsFiltersAndNeurons() {
    MultiLayerNetwork original = create("lenet");
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);
    // 28 → conv5 24 → pool 12 → conv5 8 → pool 4: 25 channels × 16 rows.
    assertThat(shapes(pruned))
        .containsExactly(
            "0_b=[10]", "0_W=[10, 1, 5, 5]",
            "2_b=[25]", "2_W=[25, 10, 5, 5]",
            "4_W=[400, 250]", "4_b=[250]",
            "5_W=[250, 10]", "5_b=[10]");
    assertThat(pruned.numParams()).isLessThan(original.numParams() / 3);
    pruned.fit(MagnitudePrunerTest.randomBatch(3));
    assertThat(pruned.output(randomImages(3)).shape()).containsExactly(16, 10);
  }

  @Test
  void separableCnnPrunesOnlyItsStemAndStillRuns() {
    MultiLayerNetwork original = create("separable-cnn");
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);
    assertThat(pruned.getParam("0_W").shape()).containsExactly(8, 1, 3, 3);
    assertThat(pruned.getParam("3_W").shape()).containsExactly(1, 8, 3, 3);
    assertThat(pruned.getParam("3_pW").shape()).containsExactly(32, 8, 1, 1);
    for (String key : List.of("7_pW", "11_pW", "15_W")) {
      assertThat(pruned.getParam(key).shape())
          .as(key)
          .containsExactly(original.getParam(key).shape());
    }
    pruned.fit(MagnitudePrunerTest.randomBatch(4));
    assertThat(pruned.output(randomImages(4)).shape()).containsExactly(16, 10);
  }

  @Test
  void theFirstConvolutionKeepsItsFiltersOfLargestL1Norm() {
    MultiLayerNetwork original = create("fashion-cnn");
    int[] kept = FilterPruner.keptOutputs(original, 0.5)[0];
    double[] norms = FilterPruner.l1Norms(original.getParam("0_W"), 0);
    double smallestKept = Arrays.stream(kept).mapToDouble(o -> norms[o]).min().orElseThrow();
    double largestRemoved =
        IntStream.range(0, 32)
            .filter(o -> Arrays.binarySearch(kept, o) < 0)
            .mapToDouble(o -> norms[o])
            .max()
            .orElseThrow();
    assertThat(kept).hasSize(16).isSorted();
    assertThat(largestRemoved).isLessThanOrEqualTo(smallestKept);
    // The survivors' weights are copied unchanged, in order.
    for (int j = 0; j < kept.length; j++) {
      assertThat(
              FilterPruner.prune(original, 0.5)
                  .getParam("0_W")
                  .slice(j)
                  .equalsWithEps(original.getParam("0_W").slice(kept[j]), 0))
          .isTrue();
    }
  }

  @Test
  void convolutionsKeepAMultipleOfTheBlockNearestToTheirShareAndDenseLayersTheirExactShare() {
    MultiLayerNetwork original = create("fashion-cnn");
    // 40% of 32 and 64 filters leaves 19 and 38: the nearest multiples of 16 are 16 and 32.
    int[][] kept = FilterPruner.keptOutputs(original, 0.4, 16);
    assertThat(kept[0]).hasSize(16);
    assertThat(kept[4]).hasSize(32);
    assertThat(kept[8]).hasSize(360);
    assertThat(kept[10]).hasSize(72);
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.4, 16);
    assertThat(pruned.getParam("4_W").shape()).containsExactly(32, 16, 3, 3);
    assertThat(pruned.getParam("8_W").shape()).containsExactly(32 * 36, 360);
    assertThat(pruned.output(randomImages(6)).shape()).containsExactly(16, 10);
    // Without alignment, the exact shares.
    assertThat(FilterPruner.keptOutputs(original, 0.4, 1)[0]).hasSize(19);
  }

  @Test
  void alignedCountsStayWithinOneBlockAndTheLayer() {
    assertThat(FilterPruner.keptCount(64, 0.4, 16)).isEqualTo(32); // 38 → 32
    assertThat(FilterPruner.keptCount(64, 0.3, 16)).isEqualTo(48); // 45 → 48
    assertThat(FilterPruner.keptCount(64, 0.9, 16)).isEqualTo(16); // 6 → at least one block
    assertThat(FilterPruner.keptCount(44, 0.05, 16))
        .isEqualTo(44); // 42 → 48: never more than the layer
    assertThat(FilterPruner.keptCount(36, 0.0, 16))
        .isEqualTo(36); // nothing to prune: nothing pruned
    assertThat(FilterPruner.keptCount(12, 0.5, 16))
        .isEqualTo(6); // one block or less: the exact share
    assertThat(FilterPruner.keptCount(64, 0.4, 1)).isEqualTo(38);
  }

  @Test
  void rowsOfAFlattenedChannelAreConsecutive() {
    assertThat(FilterPruner.flattenedRows(new int[] {1, 3}, 4))
        .containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
  }

  /**
   * The pruned network computes what the original computes once the removed filters and neurons are
   * silenced: weights, bias and the following batch norm's gamma and beta set to zero make them
   * output exactly zero (after ReLU or max-pooling too), so their consumers get nothing from them.
   * Any wrong index in the copy (channels, BN, the flatten's rows) breaks the equality.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void thePrunedNetworkEqualsTheOriginalWithItsRemovedUnitsSilenced(String name) {
    MultiLayerNetwork original = create(name);
    // Non-trivial batch-norm statistics, so that slicing mean and variance is exercised.
    for (int step = 0; step < 3; step++) {
      original.fit(MagnitudePrunerTest.randomBatch(step));
    }
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);
    MultiLayerNetwork silenced = original.clone();
    int[][] kept = FilterPruner.keptOutputs(original, 0.5);
    int prunedLayers = 0;
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] == null) {
        continue;
      }
      prunedLayers++;
      Layer layer = silenced.getLayerWiseConfigurations().getConf(i).getLayer();
      long outputs = ((FeedForwardLayer) layer).getNOut();
      for (int o = 0; o < outputs; o++) {
        if (Arrays.binarySearch(kept[i], o) >= 0) {
          continue;
        }
        // Conv W [nOut, nIn, kH, kW], dense W [nIn, nOut]; biases and batch-norm vectors rank 1.
        zero(silenced, i + "_W", layer instanceof ConvolutionLayer ? 0 : 1, o);
        zero(silenced, i + "_b", 0, o);
        if (silenced.getLayerWiseConfigurations().getConf(i + 1).getLayer()
            instanceof BatchNormalization) {
          zero(silenced, (i + 1) + "_gamma", 0, o);
          zero(silenced, (i + 1) + "_beta", 0, o);
        }
      }
    }
    assertThat(prunedLayers).isPositive();
    INDArray images = randomImages(5);
    INDArray expected = silenced.output(images);
    INDArray actual = pruned.output(images);
    // Only the order of float summation differs.
    assertThat(actual.equalsWithEps(expected, 1e-5)).as("%s%nvs%n%s", actual, expected).isTrue();
    assertThat(actual.equalsWithEps(original.output(images), 1e-3))
        .as("silencing changed the output")
        .isFalse();
  }

  /**
   * Sets index {@code o} along {@code dimension} of a parameter to zero. Done on a copy and set
   * back: assigning through a view (get(point(o), all(), ...)) of a cloned network's parameters
   * failed inside ND4J with a null data buffer.
   */
  private static void zero(MultiLayerNetwork network, String key, int dimension, int o) {
    INDArray param = network.getParam(key);
    long[] shape = param.shape();
    long inner = 1;
    for (int d = dimension + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    double[] values = ParamArrays.values(param);
    for (int index = 0; index < values.length; index++) {
      if ((index / inner) % shape[dimension] == o) {
        values[index] = 0;
      }
    }
    network.setParam(key, ParamArrays.create(values, shape, param));
  }

  @Test
  void silencingCheckSeesEveryParameterOfTheSurvivors() {
    // Guards the check above: a pruned network has exactly the kept slices of the original.
    MultiLayerNetwork original = create("fashion-cnn");
    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);
    int[][] kept = FilterPruner.keptOutputs(original, 0.5);
    INDArray expectedBeta = ParamArrays.select(original.getParam("5_beta"), 0, kept[4]);
    assertThat(pruned.getParam("5_beta").equalsWithEps(expectedBeta, 0)).isTrue();
    int[] rows = FilterPruner.flattenedRows(kept[4], 36);
    INDArray expectedDense =
        ParamArrays.select(ParamArrays.select(original.getParam("8_W"), 0, rows), 1, kept[8]);
    assertThat(pruned.getParam("8_W").equalsWithEps(expectedDense, 0)).isTrue();
    assertThat(
            Map.of(
                "conv",
                kept[0].length,
                "conv2",
                kept[4].length,
                "dense",
                kept[8].length,
                "dense2",
                kept[10].length))
        .containsEntry("conv", 16)
        .containsEntry("conv2", 32)
        .containsEntry("dense", 300)
        .containsEntry("dense2", 60);
  }
}
