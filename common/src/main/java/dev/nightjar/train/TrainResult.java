package dev.nightjar.train;

import dev.nightjar.metrics.Metric;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import java.util.List;

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

  @Override
  public SummaryRow summary() {
    return new SummaryRow(stage(), seconds, imagesPerSecond, model.testAccuracy(), modelDir);
  }
}
