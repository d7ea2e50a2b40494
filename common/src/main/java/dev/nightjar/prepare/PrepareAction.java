package dev.nightjar.prepare;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.NightjarConfig;
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
import dev.nightjar.metrics.Metric;
import dev.nightjar.metrics.MetricsTable;
import dev.nightjar.source.ExampleSources;
import dev.nightjar.source.LoadedSource;
import dev.nightjar.spark.JobGroups;
import dev.nightjar.spark.SparkWrites;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.table.ExampleTable;
import dev.nightjar.table.QuarantineTable;

/**
 * The prepare stage: plan balanced partitions over the source, decode, scale and augment on the
 * executors, quarantine the records that cannot be used, and write minibatch shards, the
 * {@code examples} table and the manifest, committed together as {@code prepared/run_date=D}.
 * Too many quarantined records fail the stage before anything but the quarantine is committed.
 */
public final class PrepareAction {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareAction.class);
  public static final String STAGE = "prepare";

  private final SparkSession spark;
  private final NightjarConfig config;

  public PrepareAction(SparkSession spark, NightjarConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public PrepareResult execute() {
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    PrepareConfig prepare = config.prepare();

    int partitions = prepare.partitions() > 0 ? prepare.partitions() : jsc.defaultParallelism();
    LoadedSource plan = ExampleSources.of(config.data(), prepare).load(spark, partitions);
    LOG.info("Preparing {} in {} partitions", plan.uris(), plan.records().getNumPartitions());

    JavaRDD<Decoded> decoded = plan.records();
    if (prepare.augment().enabled()) {
      decoded = decoded.flatMap(new AugmentedCopies(new Augmenter(prepare.augment(), prepare.seed()),
          prepare.augment().copies(), plan.imageShape()));
    }
    decoded = decoded.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaRDD<Example> examples = decoded.filter(Decoded::isExample).map(Decoded::example);
      JavaRDD<Rejection> rejections = decoded.filter(d -> !d.isExample()).map(Decoded::rejection);
      try (StagedOutput out = StagedOutput.begin(hadoopConf, layout.rootPath(), layout.prepared(), config.runId())) {
        List<ShardInfo> shards = writeShards(examples, out.path(), plan);
        long quarantined = quarantine(layout, rejections);
        checkQuarantineLimit(layout, sourceRecords(shards), quarantined);
        if (prepare.examplesTable() != PrepareConfig.ExamplesTable.NONE) {
          writeExampleTable(examples, out.path(), prepare.examplesTable() == PrepareConfig.ExamplesTable.WITH_PIXELS);
        }
        DataManifest manifest = manifest(plan, shards);
        JsonFiles.write(hadoopConf, new Path(out.path(), OutputLayout.MANIFEST), manifest);
        out.commit();
        double seconds = (System.nanoTime() - start) / 1e9;
        PrepareResult result = new PrepareResult(out.target().toString(), manifest, quarantined, seconds);
        MetricsTable.write(spark, layout, STAGE, config.runId(), List.of(
            Metric.of("prepare_examples", result.examples()),
            Metric.of("prepare_quarantined", quarantined),
            Metric.of("prepare_seconds", seconds),
            Metric.of("prepare_images_per_s", result.examplesPerSecond())));
        LOG.info(String.format("Prepared %d examples (%d quarantined) in %.1f s (%.0f images/s): %s",
            result.examples(), quarantined, seconds, result.examplesPerSecond(), result.preparedDir()));
        return result;
      }
    } finally {
      decoded.unpersist(false);
    }
  }

  /** Writes the quarantine table (empty when nothing was rejected) and returns how many records it holds. */
  private long quarantine(OutputLayout layout, JavaRDD<Rejection> rejections) {
    return JobGroups.run(spark.sparkContext(), STAGE, "quarantine", "write the quarantine table", () -> {
      QuarantineTable.write(spark, layout, config.runId(), rejections);
      return spark.read().parquet(layout.quarantine().toString()).selectExpr("coalesce(sum(records), 0)")
          .first().getLong(0);
    });
  }

  /** The good records read from the source: augmented copies of a training record count once. */
  private long sourceRecords(List<ShardInfo> shards) {
    long all = shards.stream().mapToLong(ShardInfo::examples).sum();
    long train = shards.stream().filter(s -> s.split().equals(Split.TRAIN.label())).mapToLong(ShardInfo::examples).sum();
    return all - train + train / config.prepare().augment().copies();
  }

  private void checkQuarantineLimit(OutputLayout layout, long good, long quarantined) {
    double share = quarantined / (double) Math.max(1, good + quarantined);
    if (share > config.prepare().maxQuarantineFraction()) {
      List<String> reasons = spark.read().parquet(layout.quarantine().toString())
          .select("source", "location", "reason").limit(3).collectAsList().stream()
          .map(r -> r.getString(0) + (r.getString(1).isEmpty() ? "" : " " + r.getString(1)) + ": " + r.getString(2))
          .toList();
      throw new InputException(String.format(
          "%d of %d records (%.2f%%) were quarantined, over the limit of %.2f%% (%s); see %s. First: %s",
          quarantined, good + quarantined, share * 100, config.prepare().maxQuarantineFraction() * 100,
          ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION, layout.quarantine(), String.join(" | ", reasons)));
    }
    if (quarantined > 0) {
      LOG.warn("{} records were quarantined ({}%); see {}", quarantined, String.format("%.3f", share * 100), layout.quarantine());
    }
  }

  private List<ShardInfo> writeShards(JavaRDD<Example> examples, Path outputDir, LoadedSource plan) {
    String outputUri = outputDir.toString();
    SerializableHadoopConf shippedConf = SerializableHadoopConf.of(spark.sparkContext());
    int shardSize = config.prepare().shardSize();
    int[] shape = plan.imageShape();
    int numClasses = plan.classNames().size();
    List<ShardInfo> shards = JobGroups.run(spark.sparkContext(), STAGE, "shards", "decode and write minibatch shards",
        () -> SparkWrites.into(outputDir, () -> examples.mapPartitionsWithIndex((partition, iterator) ->
            new ShardWriter(new Path(outputUri), shippedConf.get(), partition, shardSize, shape, numClasses)
                .writeAll(iterator).iterator(), true).collect()));
    List<ShardInfo> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparing(ShardInfo::path));
    return sorted;
  }

  private void writeExampleTable(JavaRDD<Example> examples, Path outputDir, boolean pixels) {
    JobGroups.run(spark.sparkContext(), STAGE, "examples", "write the examples table", () -> {
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table =
          spark.createDataFrame(examples.map(ExampleTable::toRow), ExampleTable.SCHEMA);
      SparkWrites.parquet((pixels ? table : table.drop(ExampleTable.PIXELS)).write().partitionBy(ExampleTable.SPLIT),
          new Path(outputDir, ExampleTable.DIR));
      return null;
    });
  }

  private DataManifest manifest(LoadedSource plan, List<ShardInfo> shards) {
    int numClasses = plan.classNames().size();
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, long[]> labelCounts = new LinkedHashMap<>();
    for (Split split : Split.values()) {
      counts.put(split.label(), 0L);
      labelCounts.put(split.label(), new long[numClasses]);
    }
    for (ShardInfo shard : shards) {
      counts.merge(shard.split(), (long) shard.examples(), Long::sum);
      long[] total = labelCounts.get(shard.split());
      for (int c = 0; c < numClasses; c++) {
        total[c] += shard.labelCounts()[c];
      }
    }
    return new DataManifest(DataManifest.SCHEMA_VERSION, contentId(plan, shards), config.runId(),
        Instant.now().toString(), config.hash(), plan.uris(), plan.imageShape(), plan.classNames(),
        config.prepare().shardSize(), plan.records().getNumPartitions(), counts, labelCounts, shards);
  }

  /** Identifies the prepared data by what it holds: source, settings and every shard's content summary. */
  private String contentId(LoadedSource plan, List<ShardInfo> shards) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((String.join(",", plan.uris()) + config.prepare()).getBytes(StandardCharsets.UTF_8));
      for (ShardInfo shard : shards) {
        digest.update((shard.path() + ":" + shard.examples() + ":"
            + java.util.Arrays.toString(shard.labelCounts())).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
