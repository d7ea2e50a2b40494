package dev.nightjar.config;

import java.io.Serializable;

/**
 * Training settings for parameter averaging.
 *
 * @param learningRateSchedule how the rate changes from epoch to epoch
 * @param learningRateDecay the factor the {@link LearningRateSchedule#EXPONENTIAL} schedule
 *     multiplies the rate by after each epoch
 * @param patience epochs without a better validation accuracy before stopping; 0 never stops early
 * @param resume continue from the run date's last checkpoint
 */
public record TrainConfig(
    String model,
    int epochs,
    double learningRate,
    LearningRateSchedule learningRateSchedule,
    double learningRateDecay,
    int batchSizePerWorker,
    int averagingFrequency,
    int prefetchBatches,
    int workers,
    int threadsPerWorker,
    int patience,
    boolean resume,
    boolean collectStats,
    long seed)
    implements Serializable {

  /** The learning rate of a training epoch (the first is 1). */
  public double learningRate(int epoch) {
    return scheduled(learningRate, epoch, epochs);
  }

  /**
   * {@code base} as the schedule sets it in {@code epoch} of {@code total}: for the optimize
   * stage's fine-tuning and distillation, which run schedules of their own lengths.
   */
  public double scheduled(double base, int epoch, int total) {
    return base * learningRateSchedule.factor(epoch, total, learningRateDecay);
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

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private String model = "fashion-cnn";
    private int epochs = 6;
    private double learningRate = 0.003;
    private LearningRateSchedule learningRateSchedule = LearningRateSchedule.COSINE;
    private double learningRateDecay = 0.85;
    private int batchSizePerWorker = 100;
    private int averagingFrequency = 20;
    private int prefetchBatches = 2;
    private int workers = 0;
    private int threadsPerWorker = 1;
    private int patience = 0;
    private boolean resume = false;
    private boolean collectStats = true;
    private long seed = 42;

    private Builder() {}

    public Builder model(String value) {
      model = value;
      return this;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    public Builder learningRate(double value) {
      learningRate = value;
      return this;
    }

    public Builder learningRateSchedule(LearningRateSchedule value) {
      learningRateSchedule = value;
      return this;
    }

    public Builder learningRateDecay(double value) {
      learningRateDecay = value;
      return this;
    }

    public Builder batchSizePerWorker(int value) {
      batchSizePerWorker = value;
      return this;
    }

    public Builder averagingFrequency(int value) {
      averagingFrequency = value;
      return this;
    }

    public Builder prefetchBatches(int value) {
      prefetchBatches = value;
      return this;
    }

    public Builder workers(int value) {
      workers = value;
      return this;
    }

    public Builder threadsPerWorker(int value) {
      threadsPerWorker = value;
      return this;
    }

    public Builder patience(int value) {
      patience = value;
      return this;
    }

    public Builder resume(boolean value) {
      resume = value;
      return this;
    }

    public Builder collectStats(boolean value) {
      collectStats = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(
          model,
          epochs,
          learningRate,
          learningRateSchedule,
          learningRateDecay,
          batchSizePerWorker,
          averagingFrequency,
          prefetchBatches,
          workers,
          threadsPerWorker,
          patience,
          resume,
          collectStats,
          seed);
    }
  }
}
