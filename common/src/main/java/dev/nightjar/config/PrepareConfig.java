package dev.nightjar.config;

import java.io.Serializable;

/**
 * How the prepare stage splits, partitions, decodes and shards the data.
 *
 * @param maxQuarantineFraction the share of records that may be quarantined before the stage fails
 * @param examplesTable whether the Parquet copy of the examples is written, and with its pixels
 * @param maxRecordChars the longest CSV record read; a longer one is quarantined
 */
public record PrepareConfig(int partitions, double validationFraction, int shardSize, long seed,
    ImageConfig image, AugmentConfig augment, double maxQuarantineFraction, ExamplesTable examplesTable,
    int maxRecordChars)
    implements Serializable {

  /** The Parquet copy of the prepared examples that inference and notebooks read. */
  public enum ExamplesTable {
    /** id, label, split and pixels: what the infer stage needs. */
    WITH_PIXELS,
    /** id, label and split only: for notebooks, a fraction of the size. */
    WITHOUT_PIXELS,
    NONE;

    static ExamplesTable parse(String text) {
      for (ExamplesTable value : values()) {
        if (value.name().replace('_', '-').equalsIgnoreCase(text.trim())) {
          return value;
        }
      }
      throw ConfigException.badValue(ConfigKeys.PREPARE_EXAMPLES_TABLE, text, "expected with-pixels, without-pixels or none");
    }
  }

  public PrepareConfig {
    Checks.atLeast(0, partitions, ConfigKeys.PREPARE_PARTITIONS);
    Checks.inRange(0.0, 0.5, validationFraction, ConfigKeys.PREPARE_VALIDATION_FRACTION);
    Checks.atLeast(1, shardSize, ConfigKeys.PREPARE_SHARD_SIZE);
    Checks.inRange(0.0, 1.0, maxQuarantineFraction, ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION);
    Checks.atLeast(1, maxRecordChars, ConfigKeys.PREPARE_MAX_RECORD_CHARS);
  }
}
