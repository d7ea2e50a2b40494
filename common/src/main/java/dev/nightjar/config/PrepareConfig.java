package dev.nightjar.config;

import java.io.Serializable;

/** How the prepare stage splits, partitions and shards the data. */
public record PrepareConfig(int partitions, double validationFraction, int shardSize, long seed)
    implements Serializable {

  public PrepareConfig {
    Checks.atLeast(0, partitions, ConfigKeys.PREPARE_PARTITIONS);
    Checks.inRange(0.0, 0.5, validationFraction, ConfigKeys.PREPARE_VALIDATION_FRACTION);
    Checks.atLeast(1, shardSize, ConfigKeys.PREPARE_SHARD_SIZE);
  }
}
