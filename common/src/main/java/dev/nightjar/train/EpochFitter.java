package dev.nightjar.train;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.spark.DefaultParallelism;
import dev.nightjar.spark.JobGroups;
import dev.nightjar.stage.Stage;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

/**
 * Fits a network for one epoch with DL4J's parameter averaging over shard files, which the workers
 * read directly. The train stage and the optimize stage's fine-tuning and distillation share it.
 */
public final class EpochFitter {
  private final JavaSparkContext jsc;
  private final TrainConfig train;
  private final int workers;
  private final int shardSize;

  public EpochFitter(JavaSparkContext jsc, TrainConfig train, int workers, int shardSize) {
    this.jsc = jsc;
    this.train = train;
    this.workers = workers;
    this.shardSize = shardSize;
  }

  /** A fitted epoch: DL4J's wrapper, which holds the score and statistics, and what it fitted. */
  public record Fitted(SparkDl4jMultiLayer network, FitCount count) {}

  /**
   * Fits {@code network} in place on every shard once, in the rounds {@link AveragingRounds} plans,
   * counting the shards and examples successful tasks fitted.
   *
   * @param shards the shards' URIs, each holding at most the manifest's shard size of examples
   */
  public Fitted fit(
      MultiLayerNetwork network,
      List<String> shards,
      int epoch,
      boolean collectStats,
      Stage stage,
      String description) {
    long seed = TrainingMasters.seed(train, epoch);
    List<AveragingRounds.Round> rounds =
        AveragingRounds.plan(
            shards, workers, AveragingRounds.shardsPerWorker(train, shardSize), seed);
    SparkDl4jMultiLayer sparkNetwork =
        new SparkDl4jMultiLayer(
            jsc, network, TrainingMasters.forEpoch(train, workers, shardSize, seed, collectStats));
    FittedShards fitted = FittedShards.register(jsc.sc());
    JobGroups.run(
        jsc.sc(),
        stage.label(),
        "fit",
        description,
        () -> {
          for (AveragingRounds.Round round : rounds) {
            sparkNetwork.fitPaths(round.rdd(jsc), fitted);
          }
          return null;
        });
    return new Fitted(sparkNetwork, fitted.count());
  }

  public int workers() {
    return workers;
  }

  /**
   * The workers the config asks for, or the cluster's default parallelism ({@link
   * DefaultParallelism}).
   */
  public static int workers(JavaSparkContext jsc, TrainConfig train) {
    return train.workers() > 0
        ? train.workers()
        : DefaultParallelism.of(jsc.sc(), ConfigKeys.TRAIN_WORKERS);
  }

  /** A split's shard files as an RDD of URIs, in at most {@code partitions} partitions. */
  public static JavaRDD<String> shardPaths(
      JavaSparkContext jsc, Path preparedDir, DataManifest manifest, Split split, int partitions) {
    List<String> paths = shardUris(preparedDir, manifest, split);
    return jsc.parallelize(paths, Math.max(1, Math.min(partitions, paths.size())));
  }

  /** A split's shard files' URIs, as the workers are given them. */
  public static List<String> shardUris(Path preparedDir, DataManifest manifest, Split split) {
    return manifest.shards(split).stream()
        .map(ShardInfo::path)
        .map(p -> new Path(preparedDir, p).toString())
        .toList();
  }
}
