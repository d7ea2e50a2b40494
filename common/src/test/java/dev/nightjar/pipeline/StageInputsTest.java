package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.StageInputs;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.run.Lease;
import dev.nightjar.run.PipelineLock;
import dev.nightjar.run.PipelineRunner;
import dev.nightjar.run.RunLedger;
import dev.nightjar.run.StageRecord;
import dev.nightjar.stage.Stage;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.QuickNight;
import dev.nightjar.testing.SparkTestSession;
import dev.nightjar.train.TrainResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's markers name what each stage read, so a stage rerun alone reruns everything
 * downstream.
 */
@ExtendWith(SparkTestSession.class)
class StageInputsTest {
  @TempDir Path output;

  /** A quick night with the optimize stage: the fp32 baseline only, served on ONNX Runtime. */
  private NightjarConfig config(String runId) {
    return QuickNight.config(
        output.toUri().toString(),
        "2026-04-01",
        runId,
        "infer.model=serving",
        "infer.engine=onnxruntime",
        "optimize.variants=[]",
        "optimize.architectures=[]",
        "optimize.latency-runs=10",
        "optimize.throughput-seconds=0.05");
  }

  /** Runs the pipeline as PipelineJob does, holding the lock; returns the stages that ran. */
  private List<Stage> pipeline(SparkSession spark, NightjarConfig config) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    try (Lease lease = PipelineLock.acquire(spark.sparkContext().hadoopConfiguration(), config)) {
      List<PipelineRunner.Step> steps = Nightjar.pipelineSteps(spark, config, lease);
      return new PipelineRunner(new RunLedger(spark, layout, lease), config, 0, Duration.ZERO)
          .run(steps, Optional.empty()).stream()
              .filter(o -> !o.skipped())
              .map(PipelineRunner.Outcome::stage)
              .toList();
    }
  }

  @Test
  void afterTrainIsRerunAloneTheNextPipelineOptimizesAndInfersAgain(SparkSession spark) {
    assertThat(pipeline(spark, config("night-1"))).containsExactly(Stage.values());
    assertThat(pipeline(spark, config("night-1b"))).as("nothing changed").isEmpty();

    // The train stage's own job, as TrainJob runs it: a new model for the same date.
    NightjarConfig retrain = config("retrain");
    TrainResult retrained;
    try (Lease lease = PipelineLock.acquire(spark.sparkContext().hadoopConfiguration(), retrain)) {
      retrained = (TrainResult) Nightjar.action(Stage.TRAIN, spark, retrain, lease).execute();
    }

    assertThat(pipeline(spark, config("night-2"))).containsExactly(Stage.OPTIMIZE, Stage.INFER);
    StageRecord optimize =
        JsonFiles.read(
            spark.sparkContext().hadoopConfiguration(),
            new org.apache.hadoop.fs.Path(
                output.resolve("_markers/run_date=2026-04-01/optimize.json").toUri()),
            StageRecord.class);
    assertThat(optimize.inputs())
        .containsEntry(StageInputs.MODEL, retrained.model().sha256())
        .containsKey(StageInputs.PREPARED);
    List<Row> versions =
        Published.table(spark, output, "predictions")
            .select("model_version")
            .distinct()
            .collectAsList();
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).getString(0)).startsWith(retrained.model().version());
  }
}
