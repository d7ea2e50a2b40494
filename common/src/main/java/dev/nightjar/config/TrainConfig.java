package dev.nightjar.config;

import java.io.Serializable;

/** Training settings for parameter averaging. */
public record TrainConfig(
    String model,
    int epochs,
    double learningRate,
    int batchSizePerWorker,
    int averagingFrequency,
    int prefetchBatches,
    int workers,
    long seed)
    implements Serializable {

  public TrainConfig {
    Checks.nonEmpty(model, ConfigKeys.TRAIN_MODEL);
    Checks.atLeast(1, epochs, ConfigKeys.TRAIN_EPOCHS);
    Checks.positive(learningRate, ConfigKeys.TRAIN_LEARNING_RATE);
    Checks.atLeast(1, batchSizePerWorker, ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER);
    Checks.atLeast(1, averagingFrequency, ConfigKeys.TRAIN_AVERAGING_FREQUENCY);
    Checks.atLeast(0, prefetchBatches, ConfigKeys.TRAIN_PREFETCH_BATCHES);
    Checks.atLeast(0, workers, ConfigKeys.TRAIN_WORKERS);
  }
}
