package dev.nightjar.table;

import dev.nightjar.data.Rejection;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.spark.SparkWrites;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code quarantine} table, partitioned by {@code run_date}: every record the prepare stage
 * could not use, where it was and why ({@code infer_quarantine}: the same for new data the infer
 * stage could not score). It is committed even when too many records were bad and the stage fails,
 * so the reasons can be read.
 */
public final class QuarantineTable {
  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("location", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false)
          .add("records", DataTypes.IntegerType, false);

  private QuarantineTable() {}

  /** Writes the prepare stage's quarantine table; returns the folder it wrote, for reading back. */
  public static Path write(
      SparkSession spark, CommitUnit unit, OutputLayout layout, JavaRDD<Rejection> rejections) {
    return write(spark, unit, layout.quarantine(), rejections);
  }

  /**
   * Writes {@code rejections} as {@code target}, a partition of a quarantine table under the output
   * root, in {@code unit}; returns the folder it wrote, for reading back.
   */
  public static Path write(
      SparkSession spark, CommitUnit unit, Path target, JavaRDD<Rejection> rejections) {
    String runId = unit.runId();
    StagedOutput out = unit.stage(target);
    SparkWrites.parquet(
        spark
            .createDataFrame(
                rejections.map(
                    r ->
                        RowFactory.create(
                            runId, r.source(), r.location(), r.reason(), r.records())),
                SCHEMA)
            .coalesce(1)
            .write(),
        out.path());
    out.complete();
    return out.path();
  }
}
