package dev.nightjar.train;

import dev.nightjar.config.TrainConfig;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds DL4J's parameter-averaging master from the training config. */
final class TrainingMasters {
  private TrainingMasters() {}

  /**
   * An epoch's seed: the same in a run resumed from a checkpoint as in one that was never
   * interrupted, so the epoch's rounds are the same.
   */
  static long seed(TrainConfig train, int epoch) {
    return train.seed() * 1_000 + epoch;
  }

  /**
   * A master for one epoch, given one {@link AveragingRounds.Round} at a time: it must neither
   * split nor repartition it.
   */
  static ParameterAveragingTrainingMaster forEpoch(
      TrainConfig train, int workers, int shardSize, long seed, boolean collectStats) {
    return new ParameterAveragingTrainingMaster.Builder(workers, shardSize)
        .batchSizePerWorker(train.batchSizePerWorker())
        .averagingFrequency(train.averagingFrequency())
        .workerPrefetchNumBatches(train.prefetchBatches())
        .repartionData(Repartition.Never)
        // Average Adam's moment estimates too; otherwise every averaging round restarts them.
        .saveUpdater(true)
        .collectTrainingStats(collectStats)
        .rngSeed(seed)
        .build();
  }
}
