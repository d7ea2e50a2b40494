package dev.nightjar.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run stands after an epoch; saved with every checkpoint so a killed run resumes
 * where it was, with its history and its best epoch.
 *
 * @param epochs the reports of every completed epoch, in order
 * @param bestEpoch the epoch with the best selection accuracy so far (0 before the first)
 */
public record TrainingState(
    String runId, String model, long seed, List<EpochReport> epochs, int bestEpoch) {

  public static TrainingState start(String runId, String model, long seed) {
    return new TrainingState(runId, model, seed, List.of(), 0);
  }

  /** The number of completed epochs. */
  public int completedEpochs() {
    return epochs.size();
  }

  public EpochReport best() {
    return epochs.get(bestEpoch - 1);
  }

  /**
   * The state after one more epoch; the epoch becomes the best if its selection accuracy is higher.
   */
  public TrainingState after(EpochReport report) {
    List<EpochReport> all = new ArrayList<>(epochs);
    all.add(report);
    boolean better = bestEpoch == 0 || report.selectionAccuracy() > best().selectionAccuracy();
    return new TrainingState(
        runId, model, seed, List.copyOf(all), better ? report.epoch() : bestEpoch);
  }

  /** Epochs completed since the best one: early stopping compares this with the patience. */
  public int epochsSinceBest() {
    return completedEpochs() - bestEpoch;
  }
}
