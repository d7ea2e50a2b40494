package dev.nightjar.metrics;

import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.spark.SparkWrites;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a stage's metrics as the partition {@code metrics/run_date=D/stage=S} of one Parquet
 * table. Columns: {@code run_id, name, value, time}; {@code run_date} and {@code stage} come from
 * the partition folders. A rerun of the same stage and date replaces its partition.
 */
public final class MetricsTable {
  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("name", DataTypes.StringType, false)
          .add("value", DataTypes.DoubleType, false)
          .add("time", DataTypes.TimestampType, false);

  private MetricsTable() {}

  public static void write(
      SparkSession spark,
      CommitUnit unit,
      OutputLayout layout,
      String stage,
      List<Metric> metrics) {
    String runId = unit.runId();
    List<Row> rows =
        metrics.stream()
            .map(m -> RowFactory.create(runId, m.name(), m.value(), Timestamp.from(m.time())))
            .toList();
    StagedOutput out = unit.stage(layout.metrics(stage));
    SparkWrites.parquet(spark.createDataFrame(rows, SCHEMA).coalesce(1).write(), out.path());
    out.complete();
  }
}
