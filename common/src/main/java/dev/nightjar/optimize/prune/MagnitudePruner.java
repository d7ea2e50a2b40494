package dev.nightjar.optimize.prune;

import dev.nightjar.model.SparseModelFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Unstructured magnitude pruning: zeroes the weights of smallest absolute value in convolution,
 * separable convolution, dense and output layers (never biases or batch-norm parameters). The
 * network keeps its shapes; the zeros pay off only when stored sparsely ({@link SparseModelFile}).
 * Fine-tuning would re-grow them unless a {@link PruningMaskListener} re-applies the mask.
 */
public final class MagnitudePruner {
  /** Where the smallest weights are ranked. */
  public enum Scope {
    /**
     * All prunable weights of the network ranked together: layers end with different sparsities.
     */
    GLOBAL,
    /** Each layer (all its prunable weights) pruned to the same sparsity. */
    PER_LAYER
  }

  private MagnitudePruner() {}

  /**
   * A copy of {@code network} (parameters and updater state; the input is untouched) in which a
   * fraction {@code sparsity} of the prunable weights (rounded to a whole weight) is zero. Weights
   * that are already zero count as the smallest; ties at the threshold are broken by position, so
   * the sparsity is exact.
   */
  public static MultiLayerNetwork prune(MultiLayerNetwork network, double sparsity, Scope scope) {
    if (!(sparsity >= 0 && sparsity <= 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
    }
    MultiLayerNetwork pruned = network.clone();
    List<List<String>> groups = new ArrayList<>();
    if (scope == Scope.GLOBAL) {
      groups.add(PrunableWeights.keys(pruned));
    } else {
      for (PrunableWeights.LayerWeights layer : PrunableWeights.of(pruned)) {
        groups.add(layer.keys());
      }
    }
    for (List<String> keys : groups) {
      pruneTogether(pruned, keys, sparsity);
    }
    return pruned;
  }

  /** The fraction of the network's prunable weights that are zero. */
  public static double sparsity(MultiLayerNetwork network) {
    long zeros = 0;
    long total = 0;
    for (String key : PrunableWeights.keys(network)) {
      INDArray param = network.getParam(key);
      zeros += zeros(param);
      total += param.length();
    }
    return total == 0 ? 0 : (double) zeros / total;
  }

  /** Each prunable layer's sparsity, by layer index, in layer order. */
  public static Map<Integer, Double> layerSparsities(MultiLayerNetwork network) {
    Map<Integer, Double> result = new LinkedHashMap<>();
    for (PrunableWeights.LayerWeights layer : PrunableWeights.of(network)) {
      long zeros = 0;
      long total = 0;
      for (String key : layer.keys()) {
        INDArray param = network.getParam(key);
        zeros += zeros(param);
        total += param.length();
      }
      result.put(layer.layer(), (double) zeros / total);
    }
    return result;
  }

  private static long zeros(INDArray param) {
    long zeros = 0;
    for (double value : ParamArrays.values(param)) {
      if (value == 0) {
        zeros++;
      }
    }
    return zeros;
  }

  /** Zeroes the round(sparsity × n) smallest |w| of the given parameters, ranked together. */
  private static void pruneTogether(MultiLayerNetwork network, List<String> keys, double sparsity) {
    double[][] values = new double[keys.size()][];
    int total = 0;
    for (int p = 0; p < keys.size(); p++) {
      values[p] = ParamArrays.values(network.getParam(keys.get(p)));
      total += values[p].length;
    }
    long target = Math.round(sparsity * total);
    if (target == 0) {
      return;
    }
    double[] magnitudes = new double[total];
    int at = 0;
    for (double[] param : values) {
      for (double value : param) {
        magnitudes[at++] = Math.abs(value);
      }
    }
    java.util.Arrays.sort(magnitudes);
    double threshold = magnitudes[(int) target - 1];
    // Everything strictly below the threshold goes; of the weights equal to it, only as many as
    // the target still needs, in position order, so the count is exact even with ties (e.g. zeros).
    long below = 0;
    for (double magnitude : magnitudes) {
      if (magnitude < threshold) {
        below++;
      } else {
        break;
      }
    }
    long tiesToZero = target - below;
    for (int p = 0; p < keys.size(); p++) {
      double[] param = values[p];
      for (int i = 0; i < param.length; i++) {
        double magnitude = Math.abs(param[i]);
        if (magnitude < threshold) {
          param[i] = 0.0;
        } else if (magnitude == threshold && tiesToZero > 0) {
          param[i] = 0.0;
          tiesToZero--;
        }
      }
      INDArray original = network.getParam(keys.get(p));
      // +0.0, not w × 0 (which is -0.0 for negative w): keeps the sparse file's bitmask simple.
      network.setParam(keys.get(p), ParamArrays.create(param, original.shape(), original));
    }
  }
}
