package dev.nightjar.model;

import java.util.List;

/**
 * Which variant serves, and why: saved as {@code serving.json} beside the variants and read by the
 * infer stage, which refuses a serving model that lost more accuracy than the tolerance.
 *
 * @param file the served model file, a Hadoop URI
 * @param version stamped on every prediction: the trained model's version and the variant
 * @param rejected the faster variants that were not chosen, each with its reason
 */
public record ServingDecision(
    String variant,
    String engine,
    String file,
    String sha256,
    String version,
    double testAccuracy,
    double baselineAccuracy,
    double tolerancePoints,
    double imagesPerSecond,
    double baselineImagesPerSecond,
    int[] imageShape,
    int numClasses,
    String reason,
    List<String> rejected) {

  public static final String FILE = "serving.json";

  /** The serving model's accuracy loss against the baseline, in percentage points. */
  public double dropPoints() {
    return (baselineAccuracy - testAccuracy) * 100;
  }

  public boolean withinTolerance(double tolerance) {
    return dropPoints() <= tolerance + 1e-9;
  }
}
