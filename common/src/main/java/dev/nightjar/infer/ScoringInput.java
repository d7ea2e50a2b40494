package dev.nightjar.infer;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.config.InferConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.source.ExampleSource;
import dev.nightjar.source.ExampleSources;
import dev.nightjar.source.LoadedSource;
import dev.nightjar.source.SourceMode;
import dev.nightjar.spark.DefaultParallelism;
import dev.nightjar.stage.RunContext;
import dev.nightjar.table.QuarantineTable;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New data for the infer stage: any source the prepare stage reads, decoded on the executors with
 * the same decoders (so the model sees inputs scaled as in training), labels optional. Records that
 * cannot be decoded go to {@code infer_quarantine} with their reason.
 */
public final class ScoringInput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringInput.class);
  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("label", DataTypes.IntegerType, true)
          .add("pixels", DataTypes.BinaryType, false);

  private final JavaRDD<Decoded> decoded;
  private final Dataset<Row> rows;
  private final long examples;
  private final String source;

  private ScoringInput(JavaRDD<Decoded> decoded, Dataset<Row> rows, long examples, String source) {
    this.decoded = decoded;
    this.rows = rows;
    this.examples = examples;
    this.source = source;
  }

  /** Checks, without Spark, that {@code infer.input} exists and can be read as its format. */
  public static void checkInputs(NewData config, Configuration hadoopConf) {
    underInputKey(
        config,
        () -> {
          source(config).checkInputs(hadoopConf);
          return null;
        });
  }

  /** Decodes {@code infer.input} once, quarantines its bad records and counts the rest. */
  static ScoringInput load(
      SparkSession spark, RunContext run, CommitUnit unit, NewData config, int[] modelShape) {
    InferConfig infer = config.infer();
    int partitions =
        config.decoding().partitions() > 0
            ? config.decoding().partitions()
            : DefaultParallelism.of(spark.sparkContext(), ConfigKeys.PREPARE_PARTITIONS);
    LoadedSource loaded = underInputKey(config, () -> source(config).load(spark, partitions));
    if (!Arrays.equals(loaded.imageShape(), modelShape)) {
      throw new ConfigException(
          ConfigKeys.INFER_INPUT
              + ": decoding gives images of "
              + Arrays.toString(loaded.imageShape())
              + " but the model reads "
              + Arrays.toString(modelShape)
              + "; set prepare.image to the model's shape");
    }
    JavaRDD<Decoded> decoded = loaded.records().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Rejection> rejections = decoded.filter(d -> !d.isExample()).map(Decoded::rejection);
    long rejected = rejections.count();
    OutputLayout layout = run.layout();
    // Written even when empty: the date's partition must be this run's, not an earlier run's rows.
    QuarantineTable.write(spark, unit, layout.inferQuarantine(), rejections);
    if (rejected > 0) {
      LOG.warn(
          "{} records of {} could not be decoded; see {}",
          rejected,
          infer.input(),
          layout.inferQuarantine());
    }
    JavaRDD<Row> examples =
        decoded
            .filter(Decoded::isExample)
            .map(
                d -> {
                  Example example = d.example();
                  return RowFactory.create(
                      example.id(), example.labelled() ? example.label() : null, example.pixels());
                });
    Dataset<Row> rows = spark.createDataFrame(examples, SCHEMA);
    long count = rows.count();
    if (count == 0) {
      throw new ConfigException(
          ConfigKeys.INFER_INPUT
              + " = "
              + infer.input()
              + ": no record could be decoded ("
              + rejected
              + " quarantined in "
              + layout.inferQuarantine()
              + ")");
    }
    return new ScoringInput(decoded, rows, count, String.join(",", loaded.uris()));
  }

  private static ExampleSource source(NewData config) {
    DataConfig data =
        config.data().withSource(config.infer().inputFormat(), config.infer().input());
    return ExampleSources.of(data, config.decoding(), SourceMode.INFERENCE);
  }

  /**
   * The sources name the {@code data.*} keys they read; here those describe {@code infer.input}.
   */
  private static <T> T underInputKey(NewData config, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (ConfigException e) {
      throw new ConfigException(
          ConfigKeys.INFER_INPUT
              + " = "
              + config.infer().input()
              + " ("
              + config.infer().inputFormat().name().toLowerCase(java.util.Locale.ROOT)
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** {@code id, label, pixels}, one row per decoded record. */
  Dataset<Row> rows() {
    return rows;
  }

  long examples() {
    return examples;
  }

  String source() {
    return source;
  }

  @Override
  public void close() {
    decoded.unpersist(false);
  }
}
