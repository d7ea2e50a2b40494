package dev.nightjar.optimize.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Which prunable weights of a network are zero, captured once so they can be forced back to zero
 * after each training step (see {@link PruningMaskListener}).
 */
public final class PruningMask {
  private final Map<String, INDArray> keep;

  private PruningMask(Map<String, INDArray> keep) {
    this.keep = keep;
  }

  /** The mask of a pruned network: 1 where a prunable weight is non-zero, 0 where it is zero. */
  public static PruningMask of(org.deeplearning4j.nn.multilayer.MultiLayerNetwork network) {
    Map<String, INDArray> keep = new LinkedHashMap<>();
    for (String key : PrunableWeights.keys(network)) {
      INDArray param = network.getParam(key);
      keep.put(key, param.neq(0).castTo(param.dataType()));
    }
    return new PruningMask(keep);
  }

  /** Zeroes, in place, the weights of {@code model} that the mask prunes. */
  public void apply(Model model) {
    for (Map.Entry<String, INDArray> entry : keep.entrySet()) {
      INDArray param = model.getParam(entry.getKey());
      // w × 0 is -0.0 for negative w; adding +0.0 turns it into +0.0 and changes nothing else.
      param.muli(entry.getValue()).addi(0.0);
    }
  }

  /** How many weights the mask prunes. */
  public long prunedCount() {
    long pruned = 0;
    for (INDArray mask : keep.values()) {
      pruned += mask.scan(Conditions.equals(0)).longValue();
    }
    return pruned;
  }
}
