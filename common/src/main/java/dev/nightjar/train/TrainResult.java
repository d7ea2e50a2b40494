package dev.nightjar.train;

import dev.nightjar.metrics.Metric;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a training run committed: the best epoch's model and every epoch's figures.
 *
 * @param modelDir the committed model folder
 * @param imagesPerSecond training examples per second of fitting, over all epochs
 */
public record TrainResult(
    String modelDir,
    ModelMetadata model,
    List<EpochReport> epochs,
    double seconds,
    double imagesPerSecond)
    implements StageResult {
  @Override
  public Stage stage() {
    return Stage.TRAIN;
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.of("test_accuracy", model.testAccuracy()),
        Metric.of("validation_accuracy", model.validationAccuracy()),
        Metric.of("train_images_per_s", imagesPerSecond),
        Metric.of("train_seconds", seconds),
        Metric.of("epochs", epochs.size()),
        Metric.of("best_epoch", model.bestEpoch()),
        Metric.of("parameters", model.parameterCount()));
  }

  /**
   * The seconds of fitting and evaluating, from the first epoch of the run, until the end of the
   * first epoch whose model reached {@code target} test accuracy; empty if none did. Time to
   * quality as MLPerf Training and DAWNBench count it, checkpoints aside.
   */
  public OptionalDouble secondsToTestAccuracy(double target) {
    double seconds = 0;
    for (EpochReport epoch : epochs) {
      seconds += epoch.seconds() + epoch.evaluationSeconds();
      if (epoch.testAccuracy() >= target) {
        return OptionalDouble.of(seconds);
      }
    }
    return OptionalDouble.empty();
  }

  @Override
  public SummaryRow summary() {
    return new SummaryRow(stage(), seconds, imagesPerSecond, model.testAccuracy(), modelDir);
  }
}
