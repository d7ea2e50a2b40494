package dev.nightjar.infer;

import static org.apache.spark.sql.functions.col;

import dev.nightjar.config.InferConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.model.ModelRef;
import dev.nightjar.spark.SparkWrites;
import dev.nightjar.stage.RunContext;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageAction;
import dev.nightjar.stage.StageContext;
import dev.nightjar.table.ExampleTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infer stage: scores one split of the prepared examples, or new data from any source the
 * prepare stage reads, with the given model on its engine, one model per executor JVM and one batch
 * in memory per task, checks that every input has exactly one prediction, and commits the rows as
 * {@code predictions/run_date=D}.
 */
public final class InferAction extends StageAction<InferResult> {
  private static final Logger LOG = LoggerFactory.getLogger(InferAction.class);

  private final InferConfig infer;
  private final ModelRef model;
  private final InferInput input;

  /**
   * @param model the model to serve, as {@link ServedModels} resolves it
   * @param input what to score
   */
  public InferAction(
      SparkSession spark, RunContext run, InferConfig infer, ModelRef model, InferInput input) {
    super(Stage.INFER, spark, run);
    this.infer = infer;
    this.model = model;
    this.input = input;
  }

  @Override
  protected InferResult run(StageContext context) {
    if (input instanceof NewData newData) {
      try (ScoringInput scoring =
          ScoringInput.load(spark, run, context.unit(), newData, model.imageShape())) {
        return scoreAndCommit(context, scoring.rows(), scoring.examples(), scoring.source());
      }
    }
    InferInput.PreparedSplit split = (InferInput.PreparedSplit) input;
    DataManifest manifest = split.prepared().manifest();
    long expected = manifest.count(split.split());
    if (expected == 0) {
      throw new InputException(
          split.prepared().dir()
              + ": the "
              + split.split().label()
              + " split has no examples to score");
    }
    return scoreAndCommit(
        context,
        ExampleTable.split(spark, split.prepared().dir(), split.split()),
        expected,
        split.prepared().dir() + "#" + split.split().label());
  }

  /** Scores {@code examples}, checks it got {@code expected} predictions, and commits them. */
  private InferResult scoreAndCommit(
      StageContext context, Dataset<Row> examples, long expected, String source) {
    OutputLayout layout = context.layout();
    CollectionAccumulator<Long> partitionNanos =
        spark.sparkContext().collectionAccumulator("infer partition time");
    Dataset<Row> predictions =
        new Scorer(spark, model, infer.batchSize(), infer.topK())
            .score(examples, source, run.runId(), partitionNanos);

    StagedOutput out = context.stagedOutput(layout.predictions());
    {
      context.job(
          "predict",
          "score " + source + " on " + model.engine().label(),
          () -> {
            SparkWrites.parquet(predictions.write(), out.path());
            return null;
          });
      double seconds = context.elapsedSeconds();
      Dataset<Row> written = spark.read().parquet(out.path().toString());
      long rows = written.count();
      if (rows != expected) {
        throw new IllegalStateException(
            "wrote "
                + rows
                + " predictions for "
                + expected
                + " inputs; not committing "
                + out.target());
      }
      double accuracy = accuracy(written);
      out.complete();
      PartitionLatency latency = PartitionLatency.of(partitionNanos.value());
      InferResult result =
          new InferResult(
              out.path().toString(),
              model.version(),
              model.engine().label(),
              rows,
              accuracy,
              seconds,
              rows / seconds,
              latency);
      LOG.info(
          String.format(
              "Scored %d examples with %s on %s in %.1f s (%.0f images/s), accuracy %.4f; "
                  + "%d partitions took %.2f s (median), %.2f s (p95), %.2f s (max): %s",
              rows,
              model.version(),
              model.engine().label(),
              seconds,
              result.imagesPerSecond(),
              accuracy,
              latency.partitions(),
              latency.p50Seconds(),
              latency.p95Seconds(),
              latency.maxSeconds(),
              out.target()));
      return result;
    }
  }

  private static double accuracy(Dataset<Row> predictions) {
    Row row =
        predictions
            .where(col("label").isNotNull())
            .selectExpr("avg(cast(label = predicted_label as double))")
            .first();
    return row.isNullAt(0) ? Double.NaN : row.getDouble(0);
  }
}
