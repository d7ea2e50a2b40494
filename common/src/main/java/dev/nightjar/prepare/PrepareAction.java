package dev.nightjar.prepare;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Example;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.metrics.Metric;
import dev.nightjar.metrics.MetricsTable;
import dev.nightjar.spark.JobGroups;
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
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage over IDX files: plan balanced partitions, decode and scale on the executors,
 * write minibatch shards, the {@code examples} table and the manifest, and commit them as one
 * folder, {@code prepared/run_date=D}.
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

    IdxInputs inputs = IdxInputs.open(config.data(), hadoopConf);
    SplitPlan splitPlan = SplitPlan.stratified(inputs.trainLabels(), config.data().numClasses(),
        config.prepare().validationFraction(), config.prepare().seed());
    int partitions = config.prepare().partitions() > 0 ? config.prepare().partitions() : jsc.defaultParallelism();
    List<List<RecordRange>> plan = PartitionPlan.balanced(partitions, inputs.train(), inputs.test());
    LOG.info("Preparing {} training and {} test records ({} for validation) in {} partitions",
        inputs.train().records(), inputs.test().records(), splitPlan.validationCount(), partitions);

    try (StagedOutput out = StagedOutput.begin(hadoopConf, layout.rootPath(), layout.prepared(), config.runId())) {
      SerializableHadoopConf shippedConf = new SerializableHadoopConf(hadoopConf);
      JavaRDD<Example> examples = jsc.parallelize(plan, partitions)
          .flatMap(ranges -> new IdxPartitionReader(ranges, splitPlan, shippedConf.get()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<ShardInfo> shards = writeShards(examples, out.path(), inputs);
        writeExampleTable(examples, out.path());
        DataManifest manifest = manifest(inputs, partitions, shards);
        JsonFiles.write(hadoopConf, new Path(out.path(), OutputLayout.MANIFEST), manifest);
        out.commit();
        double seconds = (System.nanoTime() - start) / 1e9;
        PrepareResult result = new PrepareResult(out.target().toString(), manifest, seconds);
        MetricsTable.write(spark, layout, STAGE, config.runId(), List.of(
            Metric.of("prepare_examples", result.examples()),
            Metric.of("prepare_seconds", seconds),
            Metric.of("prepare_images_per_s", result.examplesPerSecond())));
        LOG.info(String.format("Prepared %d examples in %.1f s (%.0f images/s): %s",
            result.examples(), seconds, result.examplesPerSecond(), result.preparedDir()));
        return result;
      } finally {
        examples.unpersist(false);
      }
    }
  }

  private List<ShardInfo> writeShards(JavaRDD<Example> examples, Path outputDir, IdxInputs inputs) {
    String outputUri = outputDir.toString();
    SerializableHadoopConf shippedConf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
    int shardSize = config.prepare().shardSize();
    int[] shape = inputs.imageShape();
    int numClasses = config.data().numClasses();
    List<ShardInfo> shards = JobGroups.run(spark.sparkContext(), STAGE, "shards", "decode and write minibatch shards",
        () -> examples.mapPartitionsWithIndex((partition, iterator) ->
            new ShardWriter(new Path(outputUri), shippedConf.get(), partition, shardSize, shape, numClasses)
                .writeAll(iterator).iterator(), true).collect());
    List<ShardInfo> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparing(ShardInfo::path));
    return sorted;
  }

  private void writeExampleTable(JavaRDD<Example> examples, Path outputDir) {
    JobGroups.run(spark.sparkContext(), STAGE, "examples", "write the examples table", () -> {
      spark.createDataFrame(examples.map(ExampleTable::toRow), ExampleTable.SCHEMA)
          .write().mode(SaveMode.Overwrite).partitionBy(ExampleTable.SPLIT)
          .parquet(new Path(outputDir, ExampleTable.DIR).toString());
      return null;
    });
  }

  private DataManifest manifest(IdxInputs inputs, int partitions, List<ShardInfo> shards) {
    int numClasses = config.data().numClasses();
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
    String id = contentId(inputs, counts, shards);
    return new DataManifest(DataManifest.SCHEMA_VERSION, id, config.runId(), Instant.now().toString(),
        config.hash(), inputs.uris(), inputs.imageShape(), config.data().classNames(),
        config.prepare().shardSize(), partitions, counts, labelCounts, shards);
  }

  private static String contentId(IdxInputs inputs, Map<String, Long> counts, List<ShardInfo> shards) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(String.join(",", inputs.uris()).getBytes(StandardCharsets.UTF_8));
      digest.update(counts.toString().getBytes(StandardCharsets.UTF_8));
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
