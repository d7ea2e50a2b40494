package dev.nightjar.registry;

/**
 * One model in the registry, saved as {@code model.json} beside its file's copy.
 *
 * @param version unique in the registry; stamped on every prediction made with the model
 * @param parent the trained model a serving model was optimized from; empty for a trained model
 * @param variant the optimize stage's name for a serving model; empty for a trained model
 * @param engine what runs the file: {@code dl4j} or {@code onnxruntime}
 * @param file the registry's own copy of the model file, a Hadoop URI
 * @param sha256 of that file, checked on every promotion and every load
 * @param baselineAccuracy the fp32 baseline's test accuracy (a trained model's own)
 * @param tolerancePoints the accuracy loss the optimize stage allowed; 0 for a trained model
 * @param imageShape channels, height and width the model takes
 */
public record RegisteredModel(
    String version,
    Kind kind,
    String parent,
    String variant,
    String engine,
    String file,
    String sha256,
    double testAccuracy,
    double baselineAccuracy,
    double tolerancePoints,
    int[] imageShape,
    int numClasses,
    String runId,
    String runDate,
    String registeredAt) {

  /** Where a registered model came from. */
  public enum Kind {
    /** The train stage's model, as trained. */
    TRAINED,
    /** The variant the optimize stage chose to serve. */
    SERVING
  }

  /** The accuracy lost against the baseline, in percentage points. */
  public double dropPoints() {
    return (baselineAccuracy - testAccuracy) * 100;
  }

  /** Whether the model lost no more accuracy than its optimize stage allowed. */
  public boolean withinTolerance() {
    return dropPoints() <= tolerancePoints + 1e-9;
  }
}
