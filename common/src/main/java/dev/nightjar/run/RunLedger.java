package dev.nightjar.run;

import dev.nightjar.io.AtomicFiles;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.spark.SparkWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where the pipeline records what it did: a marker per stage that succeeded ({@code
 * _markers/run_date=D/STAGE.json}, which a rerun reads to skip the stage) and the {@code runs}
 * table ({@code runs/run_date=D/stage=S}, the latest attempt of each stage).
 */
public final class RunLedger {
  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("start", DataTypes.TimestampType, false)
          .add("end", DataTypes.TimestampType, false)
          .add("seconds", DataTypes.DoubleType, false)
          .add(
              "metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
          .add("config_hash", DataTypes.StringType, false)
          .add("git_revision", DataTypes.StringType, false)
          .add("message", DataTypes.StringType, false);

  private final SparkSession spark;
  private final OutputLayout layout;
  private final CommitFence fence;

  /**
   * @param fence asked before every write of the runs table or a marker
   */
  public RunLedger(SparkSession spark, OutputLayout layout, CommitFence fence) {
    this.spark = spark;
    this.layout = layout;
    this.fence = fence;
  }

  private Path marker(String stage) {
    return new Path(
        new Path(new Path(layout.rootPath(), "_markers"), "run_date=" + layout.runDate()),
        stage + ".json");
  }

  /** The marker of a stage that succeeded for this run date, if there is one. */
  public Optional<StageRecord> completed(String stage) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path marker = marker(stage);
    try {
      if (!marker.getFileSystem(conf).exists(marker)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + marker, e);
    }
    return Optional.of(JsonFiles.read(conf, marker, StageRecord.class))
        .filter(StageRecord::succeeded);
  }

  /** Records an attempt: its row in the runs table, and for a success its marker, written last. */
  public void record(StageRecord record) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path partition =
        new Path(
            new Path(layout.runsTable(), "run_date=" + record.runDate()),
            "stage=" + record.stage());
    try (CommitUnit unit =
        CommitUnit.begin(
            conf,
            new OutputLayout(layout.root(), LocalDate.parse(record.runDate())),
            "runs-" + record.stage(),
            record.runId(),
            fence)) {
      StagedOutput out = unit.stage(partition);
      SparkWrites.parquet(
          spark
              .createDataFrame(
                  List.of(
                      RowFactory.create(
                          record.runId(),
                          record.status(),
                          Timestamp.from(Instant.parse(record.start())),
                          Timestamp.from(Instant.parse(record.end())),
                          record.seconds(),
                          scala.collection.JavaConverters.mapAsScalaMap(record.metrics()),
                          record.configHash(),
                          record.gitRevision(),
                          record.message())),
                  SCHEMA)
              .coalesce(1)
              .write(),
          out.path());
      out.complete();
      unit.commit();
    }
    Path marker = marker(record.stage());
    fence.check(marker);
    if (record.succeeded()) {
      AtomicFiles.replace(conf, marker, JsonFiles.toJson(record).getBytes(StandardCharsets.UTF_8));
    } else {
      delete(conf, marker);
    }
  }

  /** Forgets that a stage succeeded, so the next run does it again. */
  public void invalidate(String stage) {
    fence.check(marker(stage));
    delete(spark.sparkContext().hadoopConfiguration(), marker(stage));
  }

  private static void delete(Configuration conf, Path path) {
    try {
      path.getFileSystem(conf).delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }
}
