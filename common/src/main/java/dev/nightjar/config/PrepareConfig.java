package dev.nightjar.config;

import java.io.Serializable;

/**
 * How the prepare stage splits, partitions, decodes and shards the data.
 *
 * @param maxQuarantineFraction the share of records that may be quarantined before the stage fails
 */
public record PrepareConfig(int partitions, double validationFraction, int shardSize, long seed,
    ImageConfig image, AugmentConfig augment, double maxQuarantineFraction) implements Serializable {

  public PrepareConfig {
    Checks.atLeast(0, partitions, ConfigKeys.PREPARE_PARTITIONS);
    Checks.inRange(0.0, 0.5, validationFraction, ConfigKeys.PREPARE_VALIDATION_FRACTION);
    Checks.atLeast(1, shardSize, ConfigKeys.PREPARE_SHARD_SIZE);
    Checks.inRange(0.0, 1.0, maxQuarantineFraction, ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION);
  }
}
