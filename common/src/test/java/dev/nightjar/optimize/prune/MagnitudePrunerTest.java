package dev.nightjar.optimize.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.SparseModelFile;
import dev.nightjar.model.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class MagnitudePrunerTest {
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);

  private static MultiLayerNetwork create(String name) {
    return ModelZoo.create(name, FASHION, 1e-3, 7);
  }

  private static Map<String, double[]> snapshot(MultiLayerNetwork network) {
    Map<String, double[]> values = new HashMap<>();
    network.paramTable().forEach((key, value) -> values.put(key, ParamArrays.values(value)));
    return values;
  }

  private static long zeros(double[] values) {
    long zeros = 0;
    for (double value : values) {
      if (value == 0) {
        zeros++;
      }
    }
    return zeros;
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void globalPruningReachesTheSparsityExactly(String name) {
    MultiLayerNetwork pruned =
        MagnitudePruner.prune(create(name), 0.9, MagnitudePruner.Scope.GLOBAL);
    long total = 0;
    long zeros = 0;
    for (String key : PrunableWeights.keys(pruned)) {
      double[] values = ParamArrays.values(pruned.getParam(key));
      total += values.length;
      zeros += zeros(values);
    }
    assertThat(zeros).isEqualTo(Math.round(0.9 * total));
    assertThat(MagnitudePruner.sparsity(pruned))
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1.0 / total));
    // Global ranking leaves the big layers sparser than the small ones.
    assertThat(MagnitudePruner.layerSparsities(pruned).values())
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void perLayerPruningGivesEveryLayerTheSparsity(String name) {
    MultiLayerNetwork pruned =
        MagnitudePruner.prune(create(name), 0.7, MagnitudePruner.Scope.PER_LAYER);
    Map<Integer, Double> sparsities = MagnitudePruner.layerSparsities(pruned);
    for (PrunableWeights.LayerWeights layer : PrunableWeights.of(pruned)) {
      long total = 0;
      long zeros = 0;
      for (String key : layer.keys()) {
        double[] values = ParamArrays.values(pruned.getParam(key));
        total += values.length;
        zeros += zeros(values);
      }
      assertThat(zeros).as("layer %d", layer.layer()).isEqualTo(Math.round(0.7 * total));
      assertThat(sparsities.get(layer.layer()))
          .isCloseTo(0.7, org.assertj.core.data.Offset.offset(1.0 / total));
    }
  }

  @Test
  void prunesOnlyWeightsAndLeavesTheInputNetworkAlone() {
    MultiLayerNetwork original = create("separable-cnn");
    Map<String, double[]> before = snapshot(original);
    MultiLayerNetwork pruned = MagnitudePruner.prune(original, 0.8, MagnitudePruner.Scope.GLOBAL);

    // Arrays.equals rather than AssertJ's containsExactly, whose diff is quadratic in the length.
    assertThat(snapshot(original))
        .allSatisfy(
            (key, values) -> assertThat(Arrays.equals(values, before.get(key))).as(key).isTrue());
    List<String> prunable = PrunableWeights.keys(pruned);
    assertThat(prunable).contains("0_W", "3_W", "3_pW").doesNotContain("0_b", "1_gamma", "3_b");
    for (Map.Entry<String, double[]> entry : snapshot(pruned).entrySet()) {
      if (!prunable.contains(entry.getKey())) {
        assertThat(Arrays.equals(entry.getValue(), before.get(entry.getKey())))
            .as(entry.getKey())
            .isTrue();
      }
    }
    assertThat(MagnitudePruner.sparsity(original)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GLOBAL", "PER_LAYER"})
  void theSmallestMagnitudesAreTheOnesRemoved(MagnitudePruner.Scope scope) {
    MultiLayerNetwork original = create("lenet");
    MultiLayerNetwork pruned = MagnitudePruner.prune(original, 0.6, scope);
    double[] maxRemoved = new double[original.getnLayers()];
    double[] minKept = new double[original.getnLayers()];
    java.util.Arrays.fill(minKept, Double.POSITIVE_INFINITY);
    for (PrunableWeights.LayerWeights layer : PrunableWeights.of(original)) {
      for (String key : layer.keys()) {
        double[] before = ParamArrays.values(original.getParam(key));
        double[] after = ParamArrays.values(pruned.getParam(key));
        for (int i = 0; i < before.length; i++) {
          if (after[i] == 0) {
            maxRemoved[layer.layer()] = Math.max(maxRemoved[layer.layer()], Math.abs(before[i]));
          } else {
            assertThat(after[i]).isEqualTo(before[i]);
            minKept[layer.layer()] = Math.min(minKept[layer.layer()], Math.abs(before[i]));
          }
        }
      }
    }
    if (scope == MagnitudePruner.Scope.GLOBAL) {
      double removed = java.util.Arrays.stream(maxRemoved).max().orElseThrow();
      double kept = java.util.Arrays.stream(minKept).min().orElseThrow();
      assertThat(removed).isPositive().isLessThanOrEqualTo(kept);
    } else {
      for (PrunableWeights.LayerWeights layer : PrunableWeights.of(original)) {
        assertThat(maxRemoved[layer.layer()])
            .isPositive()
            .isLessThanOrEqualTo(minKept[layer.layer()]);
      }
    }
  }

  @Test
  void theMaskListenerKeepsPrunedWeightsAtZeroWhileFineTuning() {
    MultiLayerNetwork pruned =
        MagnitudePruner.prune(create("fashion-cnn"), 0.8, MagnitudePruner.Scope.GLOBAL);
    PruningMask mask = PruningMask.of(pruned);
    long prunedCount = mask.prunedCount();
    Map<String, double[]> before = snapshot(pruned);
    MultiLayerNetwork unmasked = pruned.clone();

    pruned.addListeners(new PruningMaskListener(mask));
    for (int step = 0; step < 3; step++) {
      DataSet batch = randomBatch(step);
      pruned.fit(batch);
      unmasked.fit(batch);
    }

    long zeros = 0;
    long moved = 0;
    for (String key : PrunableWeights.keys(pruned)) {
      double[] was = before.get(key);
      double[] now = ParamArrays.values(pruned.getParam(key));
      for (int i = 0; i < was.length; i++) {
        if (was[i] == 0) {
          assertThat(Double.doubleToRawLongBits(now[i])).as("%s[%d]", key, i).isZero();
          zeros++;
        } else if (now[i] != was[i]) {
          moved++;
        }
      }
    }
    assertThat(zeros).isEqualTo(prunedCount);
    assertThat(moved).as("the surviving weights were trained").isPositive();
    // Without the listener, Adam re-grows most pruned weights at once (only those whose gradient
    // stayed exactly zero, behind dead ReLUs, stay put).
    assertThat(MagnitudePruner.sparsity(unmasked)).isLessThan(0.3);
    assertThat(MagnitudePruner.sparsity(pruned))
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void theSparseFileRoundTripsExactlyAndIsSeveralTimesSmaller(@TempDir Path dir)
      throws IOException {
    MultiLayerNetwork pruned =
        MagnitudePruner.prune(create("fashion-cnn"), 0.9, MagnitudePruner.Scope.GLOBAL);
    Path sparse = dir.resolve("model.njsp");
    Path dense = dir.resolve("model.zip");
    SparseModelFile.write(pruned, sparse);
    ModelSerializer.writeModel(pruned, dense.toFile(), false);

    MultiLayerNetwork restored = SparseModelFile.read(sparse);
    assertThat(restored.getLayerWiseConfigurations())
        .isEqualTo(pruned.getLayerWiseConfigurations());
    for (String key : pruned.paramTable().keySet()) {
      assertBitwiseEqual(key, restored.getParam(key), pruned.getParam(key));
    }
    INDArray input = Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28);
    assertBitwiseEqual("output", restored.output(input), pruned.output(input));

    // DL4J's zip deflates its coefficients, which already squeezes out most of the zeros; what is
    // left is the surviving float32s, whose mantissas are incompressible, so an exact format can
    // beat it by about half again, and plain dense float32 storage by about ten times.
    long rawFloat32 = 4 * pruned.numParams();
    double ratio = (double) Files.size(dense) / Files.size(sparse);
    System.out.printf(
        "sparse file %d bytes; ModelSerializer (no updater) %d bytes, ratio %.2f; raw float32 %d bytes, ratio %.2f%n",
        Files.size(sparse),
        Files.size(dense),
        ratio,
        rawFloat32,
        (double) rawFloat32 / Files.size(sparse));
    assertThat(ratio).isGreaterThan(1.4);
    assertThat((double) rawFloat32 / Files.size(sparse)).isGreaterThan(9.0);
  }

  @Test
  void aDenseNetworkRoundTripsToo(@TempDir Path dir) throws IOException {
    MultiLayerNetwork network = create("separable-cnn");
    Path file = dir.resolve("dense.njsp");
    SparseModelFile.write(network, file);
    assertBitwiseEqual("params", SparseModelFile.read(file).params(), network.params());
  }

  /**
   * Same bits everywhere (AssertJ's containsExactly is quadratic on a mismatch of a million
   * floats).
   */
  static void assertBitwiseEqual(String what, INDArray actual, INDArray expected) {
    assertThat(actual.shape()).as(what).containsExactly(expected.shape());
    float[] a = Nd4j.toFlattened('c', actual).toFloatVector();
    float[] e = Nd4j.toFlattened('c', expected).toFloatVector();
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
        throw new AssertionError(what + "[" + i + "]: expected " + e[i] + " but was " + a[i]);
      }
    }
  }

  static DataSet randomBatch(long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 10);
    for (int i = 0; i < 8; i++) {
      labels.putScalar(i, (i + seed) % 10, 1f);
    }
    return new DataSet(features, labels);
  }
}
