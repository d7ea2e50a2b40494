package dev.nightjar.optimize.prune;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Keeps a magnitude-pruned network sparse while it is fine-tuned: the updater moves pruned weights
 * away from zero at every step (their gradients are not zero), so after each iteration, once the
 * update is applied, this re-applies the mask. Add it with {@code network.addListeners(...)}.
 */
public final class PruningMaskListener extends BaseTrainingListener {
  private final PruningMask mask;

  public PruningMaskListener(PruningMask mask) {
    this.mask = mask;
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    mask.apply(model);
  }
}
