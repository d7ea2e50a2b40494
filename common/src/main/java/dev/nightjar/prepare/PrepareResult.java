package dev.nightjar.prepare;

import dev.nightjar.data.DataManifest;
import dev.nightjar.metrics.Metric;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import java.util.List;

/**
 * What a prepare run committed.
 *
 * @param preparedDir the committed folder holding shards, examples and the manifest
 * @param quarantined records that went to the quarantine table instead
 */
public record PrepareResult(
    String preparedDir, DataManifest manifest, long quarantined, double seconds)
    implements StageResult {
  public long examples() {
    return manifest.counts().values().stream().mapToLong(Long::longValue).sum();
  }

  public double examplesPerSecond() {
    return examples() / Math.max(seconds, 1e-9);
  }

  @Override
  public Stage stage() {
    return Stage.PREPARE;
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.of("prepare_examples", examples()),
        Metric.of("prepare_quarantined", quarantined),
        Metric.of("prepare_seconds", seconds),
        Metric.of("prepare_images_per_s", examplesPerSecond()));
  }

  @Override
  public SummaryRow summary() {
    return new SummaryRow(stage(), seconds, examplesPerSecond(), Double.NaN, preparedDir);
  }
}
