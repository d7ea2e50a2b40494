package dev.nightjar.config;

import java.io.Serializable;

/**
 * Training settings for parameter averaging.
 *
 * @param learningRateDecay the factor the learning rate is multiplied by after each epoch
 * @param repartition when parameter averaging rebalances shards over workers
 * @param patience epochs without a better validation accuracy before stopping; 0 never stops early
 * @param resume continue from the run date's last checkpoint
 */
public record TrainConfig(
    String model,
    int epochs,
    double learningRate,
    double learningRateDecay,
    int batchSizePerWorker,
    int averagingFrequency,
    int prefetchBatches,
    int workers,
    int threadsPerWorker,
    Repartitioning repartition,
    int patience,
    boolean resume,
    boolean collectStats,
    long seed)
    implements Serializable {

  /** DL4J's repartitioning choices, as written in config. */
  public enum Repartitioning {
    ALWAYS,
    NEVER,
    NUM_PARTITIONS_WORKERS_DIFFERS;

    static Repartitioning parse(String text) {
      for (Repartitioning value : values()) {
        if (value.name().replace('_', '-').equalsIgnoreCase(text.trim())) {
          return value;
        }
      }
      throw ConfigException.badValue(ConfigKeys.TRAIN_REPARTITION, text,
          "expected always, never or num-partitions-workers-differs");
    }
  }

  /** The learning rate of an epoch (the first is 1): the rate decayed once per earlier epoch. */
  public double learningRate(int epoch) {
    return learningRate * Math.pow(learningRateDecay, epoch - 1);
  }

  public TrainConfig {
    Checks.nonEmpty(model, ConfigKeys.TRAIN_MODEL);
    Checks.atLeast(1, epochs, ConfigKeys.TRAIN_EPOCHS);
    Checks.positive(learningRate, ConfigKeys.TRAIN_LEARNING_RATE);
    Checks.inRange(0.01, 1.0, learningRateDecay, ConfigKeys.TRAIN_LEARNING_RATE_DECAY);
    Checks.atLeast(1, batchSizePerWorker, ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER);
    Checks.atLeast(1, averagingFrequency, ConfigKeys.TRAIN_AVERAGING_FREQUENCY);
    Checks.atLeast(0, prefetchBatches, ConfigKeys.TRAIN_PREFETCH_BATCHES);
    Checks.atLeast(0, workers, ConfigKeys.TRAIN_WORKERS);
    Checks.atLeast(1, threadsPerWorker, ConfigKeys.TRAIN_THREADS_PER_WORKER);
    Checks.atLeast(0, patience, ConfigKeys.TRAIN_PATIENCE);
  }
}
