package dev.nightjar.infer;

import dev.nightjar.metrics.Metric;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import java.util.List;

/**
 * What an inference run committed.
 *
 * @param accuracy over the rows that carry a true label; NaN when none does
 * @param partitionLatency how long the tasks took, partition by partition
 */
public record InferResult(
    String predictionsDir,
    String modelVersion,
    String engine,
    long rows,
    double accuracy,
    double seconds,
    double imagesPerSecond,
    PartitionLatency partitionLatency)
    implements StageResult {
  @Override
  public Stage stage() {
    return Stage.INFER;
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        Metric.of("infer_rows", rows),
        Metric.of("infer_accuracy", accuracy),
        Metric.of("infer_seconds", seconds),
        Metric.of("infer_images_per_s", imagesPerSecond),
        Metric.of("infer_partitions", partitionLatency.partitions()),
        Metric.of("infer_partition_p50_s", partitionLatency.p50Seconds()),
        Metric.of("infer_partition_p95_s", partitionLatency.p95Seconds()),
        Metric.of("infer_partition_max_s", partitionLatency.maxSeconds()));
  }

  @Override
  public SummaryRow summary() {
    return new SummaryRow(stage(), seconds, imagesPerSecond, accuracy, predictionsDir);
  }
}
