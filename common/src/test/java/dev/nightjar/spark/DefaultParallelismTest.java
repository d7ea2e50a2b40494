package dev.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** A count setting of 0 under dynamic allocation comes from settings, or is refused naming them. */
class DefaultParallelismTest {
  private static final String KEY = "nightjar.train.workers";

  private static SparkConf dynamic() {
    return new SparkConf(false)
        .set("spark.dynamicAllocation.enabled", "true")
        .set("spark.executor.cores", "2");
  }

  @Test
  void withoutDynamicAllocationOrLocallyItIsSparksDefault() {
    assertThat(DefaultParallelism.of(new SparkConf(false), false, 6, KEY)).isEqualTo(6);
    assertThat(DefaultParallelism.of(dynamic(), true, 4, KEY))
        .as("local mode has no dynamic allocation")
        .isEqualTo(4);
  }

  @Test
  void underDynamicAllocationItComesFromTheDefaultParallelismOrTheExecutorCeiling() {
    // Spark's own default parallelism reads spark.default.parallelism when it is set.
    assertThat(
            DefaultParallelism.of(dynamic().set("spark.default.parallelism", "12"), false, 12, KEY))
        .isEqualTo(12);
    // Two task slots per executor (2 cores, 1 per task), at most 5 executors.
    assertThat(
            DefaultParallelism.of(
                dynamic().set("spark.dynamicAllocation.maxExecutors", "5"), false, 2, KEY))
        .isEqualTo(10);
  }

  @Test
  void underDynamicAllocationWithNeitherSettingItIsRefused() {
    assertThatThrownBy(() -> DefaultParallelism.of(dynamic(), false, 2, KEY))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("nightjar.train.workers = 0 means Spark's default parallelism")
        .hasMessageContaining("spark.default.parallelism")
        .hasMessageContaining("spark.dynamicAllocation.maxExecutors");
  }
}
