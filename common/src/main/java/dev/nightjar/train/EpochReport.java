package dev.nightjar.train;

/** What one epoch achieved. Accuracies are in [0, 1]; validation is NaN when there is no validation split. */
public record EpochReport(int epoch, double loss, double validationAccuracy, double testAccuracy,
    double seconds, double imagesPerSecond) {}
