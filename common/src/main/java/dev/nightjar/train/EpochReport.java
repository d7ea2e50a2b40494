package dev.nightjar.train;

/**
 * What one epoch achieved. Accuracies are in [0, 1]; validation is NaN when there is no validation
 * split, and the test accuracy then selects the best epoch.
 *
 * @param seconds fitting the epoch
 * @param examplesFitted the training examples of the shards the epoch's successful tasks fitted
 * @param evaluationSeconds evaluating the epoch's model on the validation and test splits
 */
public record EpochReport(
    int epoch,
    double loss,
    double validationAccuracy,
    double testAccuracy,
    double seconds,
    double imagesPerSecond,
    long examplesFitted,
    double evaluationSeconds) {

  /** The accuracy that picks the best epoch and drives early stopping. */
  public double selectionAccuracy() {
    return Double.isNaN(validationAccuracy) ? testAccuracy : validationAccuracy;
  }
}
