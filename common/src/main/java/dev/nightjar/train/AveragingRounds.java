package dev.nightjar.train;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.TrainConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * An epoch's parameter-averaging rounds over its shard files, planned so that every shard is fitted
 * once.
 *
 * <p>Left to itself, DL4J cuts an epoch into {@code floor(shards / shards per round)} random splits
 * and then lets each worker fit at most its averaging frequency's minibatches of a split: whatever
 * a split holds beyond a round is dropped without a word (a third of the shards of a 2,700-example
 * slice, in every epoch). Here each round gives each worker at most the shards it fits whole, and
 * DL4J gets one round at a time, which it then neither splits nor repartitions.
 */
final class AveragingRounds {
  private AveragingRounds() {}

  /** One round: the shards each worker fits before the parameters are averaged. */
  record Round(int number, List<List<String>> shardsPerWorker) {
    /** The round as an RDD with one partition per worker, in this order. */
    JavaRDD<String> rdd(JavaSparkContext jsc) {
      return jsc.parallelize(shardsPerWorker, shardsPerWorker.size()).flatMap(List::iterator);
    }
  }

  /**
   * The shards one worker fits whole in a round: as many as its averaging frequency's minibatches
   * hold when each shard is full. Fails when a shard is larger than that.
   *
   * @param shardSize the most examples a shard holds
   */
  static int shardsPerWorker(TrainConfig train, int shardSize) {
    int examplesPerRound = train.batchSizePerWorker() * train.averagingFrequency();
    if (shardSize > examplesPerRound) {
      throw new ConfigException(
          String.format(
              "%s (%d) x %s (%d) = %d examples per worker and round, fewer than a shard's %d:"
                  + " each worker would fit part of each shard; raise either setting",
              ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER,
              train.batchSizePerWorker(),
              ConfigKeys.TRAIN_AVERAGING_FREQUENCY,
              train.averagingFrequency(),
              examplesPerRound,
              shardSize));
    }
    return examplesPerRound / shardSize;
  }

  /**
   * The rounds of an epoch: the shards shuffled by {@code seed}, cut into rounds of {@code workers
   * x shardsPerWorker}, each dealt out over its workers. The last round may be smaller, on fewer
   * workers.
   */
  static List<Round> plan(List<String> shards, int workers, int shardsPerWorker, long seed) {
    List<String> shuffled = new ArrayList<>(shards);
    Collections.shuffle(shuffled, new Random(seed));
    int perRound = workers * shardsPerWorker;
    List<Round> rounds = new ArrayList<>();
    for (int start = 0; start < shuffled.size(); start += perRound) {
      List<String> round = shuffled.subList(start, Math.min(shuffled.size(), start + perRound));
      int bins = Math.min(workers, round.size());
      List<List<String>> perWorker = new ArrayList<>();
      for (int i = 0; i < bins; i++) {
        perWorker.add(new ArrayList<>());
      }
      for (int i = 0; i < round.size(); i++) {
        perWorker.get(i % bins).add(round.get(i));
      }
      rounds.add(new Round(rounds.size() + 1, List.copyOf(perWorker)));
    }
    return rounds;
  }
}
