package dev.nightjar.optimize;

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

/**
 * The {@code model_variants} table: one row per variant and engine of a run, partitioned by {@code
 * run_date}. {@code test_accuracy} and {@code accuracy_drop_points} are null for the untrained
 * networks of the architecture comparison.
 */
final class ModelVariantsTable {
  static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("variant", DataTypes.StringType, false)
          .add("method", DataTypes.StringType, false)
          .add("precision", DataTypes.StringType, false)
          .add("engine", DataTypes.StringType, false)
          .add("file", DataTypes.StringType, false)
          .add("size_bytes", DataTypes.LongType, false)
          .add("parameters", DataTypes.LongType, false)
          .add("macs", DataTypes.LongType, false)
          .add("test_accuracy", DataTypes.DoubleType, true)
          .add("accuracy_drop_points", DataTypes.DoubleType, true)
          .add("latency_p50_ms", DataTypes.DoubleType, false)
          .add("latency_p95_ms", DataTypes.DoubleType, false)
          .add("images_per_s", DataTypes.DoubleType, false)
          .add("selected", DataTypes.BooleanType, false)
          .add("note", DataTypes.StringType, true);

  private ModelVariantsTable() {}

  static void write(
      SparkSession spark,
      CommitUnit unit,
      OutputLayout layout,
      List<VariantResult> results,
      ServingSelector.Choice choice) {
    String runId = unit.runId();
    List<Row> rows =
        results.stream()
            .map(
                r ->
                    RowFactory.create(
                        runId,
                        r.name(),
                        r.method(),
                        r.precision(),
                        r.engine(),
                        r.file(),
                        r.sizeBytes(),
                        r.parameters(),
                        r.macs(),
                        r.hasAccuracy() ? r.testAccuracy() : null,
                        r.hasAccuracy()
                            ? (choice.baseline().testAccuracy() - r.testAccuracy()) * 100
                            : null,
                        r.latencyP50Millis(),
                        r.latencyP95Millis(),
                        r.imagesPerSecond(),
                        r == choice.chosen(),
                        r.note().isEmpty() ? null : r.note()))
            .toList();
    StagedOutput out = unit.stage(layout.modelVariants());
    SparkWrites.parquet(spark.createDataFrame(rows, SCHEMA).coalesce(1).write(), out.path());
    out.complete();
  }
}
