package dev.nightjar.prepare;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.source.ExampleSources;
import dev.nightjar.source.LoadedSource;
import dev.nightjar.spark.DefaultParallelism;
import dev.nightjar.spark.SparkWrites;
import dev.nightjar.stage.RunContext;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageAction;
import dev.nightjar.stage.StageContext;
import dev.nightjar.table.ExampleTable;
import dev.nightjar.table.QuarantineTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage: plan balanced partitions over the source, decode, scale and augment on the
 * executors, quarantine the records that cannot be used, and write minibatch shards, the {@code
 * examples} table and the manifest, committed together as {@code prepared/run_date=D}. Too many
 * quarantined records fail the stage before anything but the quarantine is committed.
 */
public final class PrepareAction extends StageAction<PrepareResult> {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareAction.class);

  private final DataConfig data;
  private final PrepareConfig prepare;
  private final String settingsHash;

  /**
   * @param data the source to prepare
   * @param settingsHash identifies the run's settings in the manifest
   */
  public PrepareAction(
      SparkSession spark,
      RunContext run,
      DataConfig data,
      PrepareConfig prepare,
      String settingsHash) {
    super(Stage.PREPARE, spark, run);
    this.data = data;
    this.prepare = prepare;
    this.settingsHash = settingsHash;
  }

  @Override
  protected PrepareResult run(StageContext context) {
    OutputLayout layout = context.layout();
    int partitions =
        prepare.partitions() > 0
            ? prepare.partitions()
            : DefaultParallelism.of(context.jsc().sc(), ConfigKeys.PREPARE_PARTITIONS);
    LoadedSource plan = ExampleSources.of(data, prepare).load(spark, partitions);
    LOG.info("Preparing {} in {} partitions", plan.uris(), plan.records().getNumPartitions());

    JavaRDD<Decoded> decoded = plan.records();
    if (prepare.augment().enabled()) {
      decoded =
          decoded.flatMap(
              new AugmentedCopies(
                  new Augmenter(prepare.augment(), prepare.seed()),
                  prepare.augment().copies(),
                  plan.imageShape()));
    }
    // Read by up to three writes (shards, quarantine, examples table). Kept on the executors' disks
    // rather than in their heaps: decoded images held in memory grow the live heap with the data
    // (1.1 GB of a 2 GB heap for 1.2 million augmented images, LargeRunIT) until Spark evicts them.
    decoded = decoded.persist(StorageLevel.DISK_ONLY());
    try {
      JavaRDD<Example> examples = decoded.filter(Decoded::isExample).map(Decoded::example);
      JavaRDD<Rejection> rejections = decoded.filter(d -> !d.isExample()).map(Decoded::rejection);
      StagedOutput out = context.stagedOutput(layout.prepared());
      {
        List<ShardInfo> shards = writeShards(context, examples, out.path(), plan);
        Path quarantine = QuarantineTable.write(spark, context.unit(), layout, rejections);
        long quarantined = quarantined(context, quarantine);
        checkQuarantineLimit(layout, quarantine, sourceRecords(shards), quarantined);
        if (prepare.examplesTable() != PrepareConfig.ExamplesTable.NONE) {
          writeExampleTable(
              context,
              examples,
              out.path(),
              prepare.examplesTable() == PrepareConfig.ExamplesTable.WITH_PIXELS);
        }
        DataManifest manifest = manifest(plan, shards);
        JsonFiles.write(
            context.hadoopConf(), new Path(out.path(), OutputLayout.MANIFEST), manifest);
        out.complete();
        PrepareResult result =
            new PrepareResult(
                out.path().toString(), manifest, quarantined, context.elapsedSeconds());
        LOG.info(
            String.format(
                "Prepared %d examples (%d quarantined) in %.1f s (%.0f images/s): %s",
                result.examples(),
                quarantined,
                result.seconds(),
                result.examplesPerSecond(),
                result.preparedDir()));
        return result;
      }
    } finally {
      decoded.unpersist(false);
    }
  }

  /** How many records the quarantine table written into {@code quarantine} holds. */
  private long quarantined(StageContext context, Path quarantine) {
    return context.job(
        "quarantine",
        "count the quarantined records",
        () -> {
          return spark
              .read()
              .parquet(quarantine.toString())
              .selectExpr("coalesce(sum(records), 0)")
              .first()
              .getLong(0);
        });
  }

  /** The good records read from the source: augmented copies of a training record count once. */
  private long sourceRecords(List<ShardInfo> shards) {
    long all = shards.stream().mapToLong(ShardInfo::examples).sum();
    long train =
        shards.stream()
            .filter(s -> s.split().equals(Split.TRAIN.label()))
            .mapToLong(ShardInfo::examples)
            .sum();
    return all - train + train / prepare.augment().copies();
  }

  private void checkQuarantineLimit(
      OutputLayout layout, Path quarantine, long good, long quarantined) {
    double share = quarantined / (double) Math.max(1, good + quarantined);
    if (share > prepare.maxQuarantineFraction()) {
      List<String> reasons =
          spark
              .read()
              .parquet(quarantine.toString())
              .select("source", "location", "reason")
              .limit(3)
              .collectAsList()
              .stream()
              .map(
                  r ->
                      r.getString(0)
                          + (r.getString(1).isEmpty() ? "" : " " + r.getString(1))
                          + ": "
                          + r.getString(2))
              .toList();
      throw new InputException(
          String.format(
              "%d of %d records (%.2f%%) were quarantined, over the limit of %.2f%% (%s); nothing is published. First: %s",
              quarantined,
              good + quarantined,
              share * 100,
              prepare.maxQuarantineFraction() * 100,
              ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION,
              String.join(" | ", reasons)));
    }
    if (quarantined > 0) {
      LOG.warn(
          "{} records were quarantined ({}%); see {}",
          quarantined, String.format("%.3f", share * 100), layout.quarantine());
    }
  }

  private List<ShardInfo> writeShards(
      StageContext context, JavaRDD<Example> examples, Path outputDir, LoadedSource plan) {
    String outputUri = outputDir.toString();
    SerializableHadoopConf shippedConf = SerializableHadoopConf.of(spark.sparkContext());
    int shardSize = prepare.shardSize();
    int[] shape = plan.imageShape();
    int numClasses = plan.classNames().size();
    List<ShardInfo> shards =
        context.job(
            "shards",
            "decode and write minibatch shards",
            () ->
                SparkWrites.into(
                    outputDir,
                    () ->
                        examples
                            .mapPartitionsWithIndex(
                                (partition, iterator) ->
                                    new ShardWriter(
                                            new Path(outputUri),
                                            shippedConf.get(),
                                            partition,
                                            shardSize,
                                            shape,
                                            numClasses)
                                        .writeAll(iterator)
                                        .iterator(),
                                true)
                            .collect()));
    List<ShardInfo> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparing(ShardInfo::path));
    return sorted;
  }

  private void writeExampleTable(
      StageContext context, JavaRDD<Example> examples, Path outputDir, boolean pixels) {
    context.job(
        "examples",
        "write the examples table",
        () -> {
          org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table =
              spark.createDataFrame(examples.map(ExampleTable::toRow), ExampleTable.SCHEMA);
          SparkWrites.parquet(
              (pixels ? table : table.drop(ExampleTable.PIXELS))
                  .write()
                  .partitionBy(ExampleTable.SPLIT),
              new Path(outputDir, ExampleTable.DIR));
          return null;
        });
  }

  private DataManifest manifest(LoadedSource plan, List<ShardInfo> shards) {
    return DataManifest.of(
        shards,
        String.join(",", plan.uris()) + prepare,
        run.runId(),
        settingsHash,
        plan.uris(),
        plan.imageShape(),
        plan.classNames(),
        prepare.shardSize(),
        plan.records().getNumPartitions());
  }
}
