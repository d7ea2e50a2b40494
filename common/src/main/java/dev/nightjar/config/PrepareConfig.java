package dev.nightjar.config;

import java.io.Serializable;

/**
 * How the prepare stage splits, partitions, decodes and shards the data.
 *
 * @param maxQuarantineFraction the share of records that may be quarantined before the stage fails
 * @param examplesTable whether the Parquet copy of the examples is written, and with its pixels
 * @param maxRecordChars the longest CSV record read; a longer one is quarantined
 */
public record PrepareConfig(
    int partitions,
    double validationFraction,
    int shardSize,
    long seed,
    ImageConfig image,
    AugmentConfig augment,
    double maxQuarantineFraction,
    ExamplesTable examplesTable,
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
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_EXAMPLES_TABLE, text, "expected with-pixels, without-pixels or none");
    }
  }

  public PrepareConfig {
    Checks.atLeast(0, partitions, ConfigKeys.PREPARE_PARTITIONS);
    Checks.inRange(0.0, 0.5, validationFraction, ConfigKeys.PREPARE_VALIDATION_FRACTION);
    Checks.atLeast(1, shardSize, ConfigKeys.PREPARE_SHARD_SIZE);
    Checks.inRange(0.0, 1.0, maxQuarantineFraction, ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION);
    Checks.atLeast(1, maxRecordChars, ConfigKeys.PREPARE_MAX_RECORD_CHARS);
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private int partitions = 0;
    private double validationFraction = 0.1;
    private int shardSize = 100;
    private long seed = 42;
    private ImageConfig image = ImageConfig.builder().build();
    private AugmentConfig augment = AugmentConfig.builder().build();
    private double maxQuarantineFraction = 0.01;
    private ExamplesTable examplesTable = ExamplesTable.WITH_PIXELS;
    private int maxRecordChars = 1_048_576;

    private Builder() {}

    public Builder partitions(int value) {
      partitions = value;
      return this;
    }

    public Builder validationFraction(double value) {
      validationFraction = value;
      return this;
    }

    public Builder shardSize(int value) {
      shardSize = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder image(ImageConfig value) {
      image = value;
      return this;
    }

    public Builder augment(AugmentConfig value) {
      augment = value;
      return this;
    }

    public Builder maxQuarantineFraction(double value) {
      maxQuarantineFraction = value;
      return this;
    }

    public Builder maxRecordChars(int value) {
      maxRecordChars = value;
      return this;
    }

    public Builder examplesTable(ExamplesTable value) {
      examplesTable = value;
      return this;
    }

    public PrepareConfig build() {
      return new PrepareConfig(
          partitions,
          validationFraction,
          shardSize,
          seed,
          image,
          augment,
          maxQuarantineFraction,
          examplesTable,
          maxRecordChars);
    }
  }
}
