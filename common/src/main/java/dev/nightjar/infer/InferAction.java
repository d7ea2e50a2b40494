package dev.nightjar.infer;

import static org.apache.spark.sql.functions.col;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.InferConfig;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.metrics.Metric;
import dev.nightjar.metrics.MetricsTable;
import dev.nightjar.table.ExampleTable;
import dev.nightjar.spark.JobGroups;
import dev.nightjar.spark.SparkWrites;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.model.ModelRef;

/**
 * The infer stage: scores one split of the prepared examples, or new data from any source the
 * prepare stage reads, with the run's serving model on the configured engine, one model per executor JVM and one batch in memory per task, checks that
 * every input has exactly one prediction, and commits the rows as {@code predictions/run_date=D}.
 */
public final class InferAction {
  private static final Logger LOG = LoggerFactory.getLogger(InferAction.class);
  public static final String STAGE = "infer";

  private final SparkSession spark;
  private final NightjarConfig config;

  public InferAction(SparkSession spark, NightjarConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public InferResult execute() {
    long start = System.nanoTime();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    InferConfig infer = config.infer();

    ModelRef model = ServedModels.resolve(config, hadoopConf);
    try (ScoringInput newData = infer.scoresNewData() ? ScoringInput.load(spark, config, model.imageShape()) : null) {
      if (newData != null) {
        return scoreAndCommit(newData.rows(), newData.examples(), newData.source(), model, start);
      }
      DataManifest manifest = JsonFiles.read(hadoopConf, new Path(layout.prepared(), OutputLayout.MANIFEST), DataManifest.class);
      long expected = manifest.count(infer.split());
      if (expected == 0) {
        throw new InputException(layout.prepared() + ": the " + infer.split().label() + " split has no examples to score");
      }
      return scoreAndCommit(preparedSplit(), expected, layout.prepared() + "#" + infer.split().label(), model, start);
    }
  }

  /** Scores {@code input}, checks it got {@code expected} predictions, and commits them. */
  private InferResult scoreAndCommit(Dataset<Row> input, long expected, String source, ModelRef model, long start) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    CollectionAccumulator<Long> partitionNanos = spark.sparkContext().collectionAccumulator("infer partition time");
    Dataset<Row> predictions = score(input, model, model.imageShape(), source, partitionNanos);

    try (StagedOutput out = StagedOutput.begin(hadoopConf, layout.rootPath(), layout.predictions(), config.runId())) {
      JobGroups.run(spark.sparkContext(), STAGE, "predict", "score " + source + " on " + model.engine().label(), () -> {
        SparkWrites.parquet(predictions.write(), out.path());
        return null;
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      Dataset<Row> written = spark.read().parquet(out.path().toString());
      long rows = written.count();
      if (rows != expected) {
        throw new IllegalStateException("wrote " + rows + " predictions for " + expected + " inputs; not committing " + out.target());
      }
      double accuracy = accuracy(written);
      out.commit();
      PartitionLatency latency = PartitionLatency.of(partitionNanos.value());
      InferResult result = new InferResult(out.target().toString(), model.version(), model.engine().label(), rows,
          accuracy, seconds, rows / seconds, latency);
      MetricsTable.write(spark, layout, STAGE, config.runId(), List.of(
          Metric.of("infer_rows", rows),
          Metric.of("infer_accuracy", accuracy),
          Metric.of("infer_seconds", seconds),
          Metric.of("infer_images_per_s", result.imagesPerSecond()),
          Metric.of("infer_partitions", latency.partitions()),
          Metric.of("infer_partition_p50_s", latency.p50Seconds()),
          Metric.of("infer_partition_p95_s", latency.p95Seconds()),
          Metric.of("infer_partition_max_s", latency.maxSeconds())));
      LOG.info(String.format("Scored %d examples with %s on %s in %.1f s (%.0f images/s), accuracy %.4f; "
              + "%d partitions took %.2f s (median), %.2f s (p95), %.2f s (max): %s",
          rows, model.version(), model.engine().label(), seconds, result.imagesPerSecond(), accuracy,
          latency.partitions(), latency.p50Seconds(), latency.p95Seconds(), latency.maxSeconds(), out.target()));
      return result;
    }
  }

  /**
   * The predictions of {@code model} for {@code examples} ({@code id, label, pixels}), lazily: one
   * row per example with the schema of {@link PredictionTable}, computed when the result is
   * written or counted.
   *
   * @param partitionNanos collects how long each partition took
   */
  public Dataset<Row> score(Dataset<Row> examples, ModelRef model, int[] imageShape, String source,
      CollectionAccumulator<Long> partitionNanos) {
    return spark.createDataFrame(predict(examples.javaRDD(), model, imageShape, source, partitionNanos),
        PredictionTable.SCHEMA);
  }

  /**
   * The same predictions as plain rows, for input already held as rows: the scoring itself, before
   * Spark SQL encodes anything. {@link #score} wraps it for writing.
   */
  public JavaRDD<Row> predict(JavaRDD<Row> examples, ModelRef model, int[] imageShape, String source,
      CollectionAccumulator<Long> partitionNanos) {
    InferConfig infer = config.infer();
    PredictionSettings settings = new PredictionSettings(infer.batchSize(), imageShape, infer.topK(), source,
        model.version(), config.runId());
    return examples.mapPartitions(new PredictPartition(model, SerializableHadoopConf.of(spark.sparkContext()),
        settings, partitionNanos));
  }

  /** The rows of the configured split of the prepared examples table: {@code id, label, pixels}. */
  public Dataset<Row> preparedSplit() {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    InferConfig infer = config.infer();
    Path examplesDir = new Path(layout.prepared(), ExampleTable.DIR);
    if (!HadoopPaths.exists(examplesDir, hadoopConf)) {
      throw new ConfigException(examplesDir + " not found: the infer stage reads the examples table, "
          + "which prepare writes with " + ConfigKeys.PREPARE_EXAMPLES_TABLE + " = with-pixels");
    }
    Dataset<Row> examples = spark.read().parquet(examplesDir.toString());
    if (!java.util.Arrays.asList(examples.columns()).contains(ExampleTable.PIXELS)) {
      throw new ConfigException(examplesDir + " has no pixels: prepare it with "
          + ConfigKeys.PREPARE_EXAMPLES_TABLE + " = with-pixels to run the infer stage on it");
    }
    return examples.where(col(ExampleTable.SPLIT).equalTo(infer.split().label()))
        .select(ExampleTable.ID, ExampleTable.LABEL, ExampleTable.PIXELS);
  }

  private static double accuracy(Dataset<Row> predictions) {
    Row row = predictions.where(col("label").isNotNull())
        .selectExpr("avg(cast(label = predicted_label as double))").first();
    return row.isNullAt(0) ? Double.NaN : row.getDouble(0);
  }
}
