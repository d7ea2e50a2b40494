package dev.nightjar.infer;

import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ModelRef;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Scores rows of {@code id, label, pixels} with one model: one model per executor JVM, loaded once
 * and shared by its tasks, and one batch in memory per task. Lazy: the predictions are computed
 * when the result is written or counted.
 */
public final class Scorer {
  private final SparkSession spark;
  private final ModelRef model;
  private final int batchSize;
  private final int topK;

  /**
   * @param topK how many most probable classes to list per row; 0 lists none
   */
  public Scorer(SparkSession spark, ModelRef model, int batchSize, int topK) {
    this.spark = spark;
    this.model = model;
    this.batchSize = batchSize;
    this.topK = topK;
  }

  public ModelRef model() {
    return model;
  }

  /**
   * One row per example, with the schema of {@link PredictionTable}.
   *
   * @param source where the examples came from, written on every row
   * @param partitionNanos collects how long each partition took
   */
  public Dataset<Row> score(
      Dataset<Row> examples,
      String source,
      String runId,
      CollectionAccumulator<Long> partitionNanos) {
    return spark.createDataFrame(
        predict(examples.javaRDD(), source, runId, partitionNanos), PredictionTable.SCHEMA);
  }

  /**
   * The same predictions as plain rows, for input already held as rows, before Spark SQL encodes
   * anything.
   */
  public JavaRDD<Row> predict(
      JavaRDD<Row> examples,
      String source,
      String runId,
      CollectionAccumulator<Long> partitionNanos) {
    return examples.mapPartitions(partitionFunction(source, runId, partitionNanos));
  }

  /**
   * What each task of {@link #predict} runs, for callers that score inside partition functions of
   * their own: rows of {@code id, label, pixels} in, rows of {@link PredictionTable#SCHEMA} out, in
   * the same order, borrowing the model from this JVM's {@link ExecutorModelCache}.
   *
   * @param partitionNanos collects how long each partition took; null collects nothing
   */
  public FlatMapFunction<Iterator<Row>, Row> partitionFunction(
      String source, String runId, CollectionAccumulator<Long> partitionNanos) {
    PredictionSettings settings =
        new PredictionSettings(batchSize, model.imageShape(), topK, source, model.version(), runId);
    return new PredictPartition(
        model, SerializableHadoopConf.of(spark.sparkContext()), settings, partitionNanos);
  }
}
