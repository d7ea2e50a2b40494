package dev.nightjar.train;

import dev.nightjar.config.TrainConfig;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds DL4J's parameter-averaging master from the training config. */
final class TrainingMasters {
  private TrainingMasters() {}

  /**
   * A master for one epoch. Its seed depends on the epoch, so the shards are split the same way in
   * a run resumed from a checkpoint as in one that was never interrupted.
   */
  static ParameterAveragingTrainingMaster forEpoch(
      TrainConfig train, int workers, int shardSize, int epoch, boolean collectStats) {
    return new ParameterAveragingTrainingMaster.Builder(workers, shardSize)
        .batchSizePerWorker(train.batchSizePerWorker())
        .averagingFrequency(train.averagingFrequency())
        .workerPrefetchNumBatches(train.prefetchBatches())
        .repartionData(repartition(train.repartition()))
        // Average Adam's moment estimates too; otherwise every averaging round restarts them.
        .saveUpdater(true)
        .collectTrainingStats(collectStats)
        .rngSeed(train.seed() * 1_000 + epoch)
        .build();
  }

  private static Repartition repartition(TrainConfig.Repartitioning repartitioning) {
    return switch (repartitioning) {
      case ALWAYS -> Repartition.Always;
      case NEVER -> Repartition.Never;
      case NUM_PARTITIONS_WORKERS_DIFFERS -> Repartition.NumPartitionsWorkersDiffers;
    };
  }
}
