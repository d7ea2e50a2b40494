package dev.nightjar.train;

import dev.nightjar.config.TrainConfig;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.spark.SparkWrites;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code train_metrics} table: one row per epoch of a run, partitioned by {@code run_date}. */
final class TrainMetricsTable {
  static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("model", DataTypes.StringType, false)
          .add("epoch", DataTypes.IntegerType, false)
          .add("loss", DataTypes.DoubleType, false)
          .add("validation_accuracy", DataTypes.DoubleType, true)
          .add("test_accuracy", DataTypes.DoubleType, false)
          .add("seconds", DataTypes.DoubleType, false)
          .add("images_per_s", DataTypes.DoubleType, false)
          .add("examples_fitted", DataTypes.LongType, false)
          .add("workers", DataTypes.IntegerType, false)
          .add("averaging_frequency", DataTypes.IntegerType, false)
          .add("batch_size_per_worker", DataTypes.IntegerType, false);

  private TrainMetricsTable() {}

  static void write(
      SparkSession spark,
      CommitUnit unit,
      OutputLayout layout,
      TrainConfig train,
      int workers,
      List<EpochReport> epochs) {
    String runId = unit.runId();
    List<Row> rows =
        epochs.stream()
            .map(
                e ->
                    RowFactory.create(
                        runId,
                        train.model(),
                        e.epoch(),
                        e.loss(),
                        Double.isNaN(e.validationAccuracy()) ? null : e.validationAccuracy(),
                        e.testAccuracy(),
                        e.seconds(),
                        e.imagesPerSecond(),
                        e.examplesFitted(),
                        workers,
                        train.averagingFrequency(),
                        train.batchSizePerWorker()))
            .toList();
    StagedOutput out = unit.stage(layout.trainMetrics());
    SparkWrites.parquet(spark.createDataFrame(rows, SCHEMA).coalesce(1).write(), out.path());
    out.complete();
  }
}
