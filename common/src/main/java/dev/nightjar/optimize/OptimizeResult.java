package dev.nightjar.optimize;

import dev.nightjar.metrics.Metric;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import java.util.List;

/** What the optimize stage committed: every variant's measurements and the serving decision. */
public record OptimizeResult(
    String optimizedDir, List<VariantResult> variants, ServingDecision serving, double seconds)
    implements StageResult {
  @Override
  public Stage stage() {
    return Stage.OPTIMIZE;
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.of("variants", variants.size()),
        Metric.of("serving_test_accuracy", serving.testAccuracy()),
        Metric.of("baseline_test_accuracy", serving.baselineAccuracy()),
        Metric.of("serving_images_per_s", serving.imagesPerSecond()),
        Metric.of("baseline_images_per_s", serving.baselineImagesPerSecond()),
        Metric.of("optimize_seconds", seconds));
  }

  @Override
  public SummaryRow summary() {
    return new SummaryRow(
        stage(),
        seconds,
        serving.imagesPerSecond(),
        serving.testAccuracy(),
        optimizedDir + " (serving " + serving.variant() + ")");
  }
}
