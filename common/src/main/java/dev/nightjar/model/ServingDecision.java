package dev.nightjar.model;

import dev.nightjar.data.InputScaling;
import java.util.List;

/**
 * Which variant serves, and why: saved as {@code serving.json} beside the variants and read by the
 * infer stage, which refuses a serving model that lost more accuracy than the tolerance.
 *
 * @param file the served model file, a Hadoop URI
 * @param version stamped on every prediction: the trained model's version and the variant
 * @param rejected the faster variants that were not chosen, each with its reason
 * @param classNames the name of each class, by class index
 * @param inputName the ONNX graph's input tensor; null for a model served on DL4J
 * @param outputName the ONNX graph's output tensor (each class's probability); null on DL4J
 * @param inputScaling how pixels become the input tensor
 *     <p>The last four are null in files written without them; the JVM readers do not need them,
 *     they are there for readers outside it.
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
    List<String> rejected,
    List<String> classNames,
    String inputName,
    String outputName,
    InputScaling inputScaling) {

  public static final String FILE = "serving.json";

  /** The serving model's accuracy loss against the baseline, in percentage points. */
  public double dropPoints() {
    return (baselineAccuracy - testAccuracy) * 100;
  }

  public boolean withinTolerance(double tolerance) {
    return dropPoints() <= tolerance + 1e-9;
  }
}
