package dev.nightjar.spark;

import dev.nightjar.config.ConfigException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * What a count setting of 0 ({@code prepare.partitions}, {@code train.workers}) stands for: Spark's
 * default parallelism. Under dynamic allocation Spark counts only the executors up at that moment,
 * often none at the start of a stage, and then answers 2 whatever the cluster; so there the number
 * comes from settings ({@code spark.default.parallelism}, else {@code
 * spark.dynamicAllocation.maxExecutors} times the task slots of an executor), and with neither the
 * setting of 0 is refused.
 */
public final class DefaultParallelism {
  static final String DYNAMIC_ALLOCATION = "spark.dynamicAllocation.enabled";
  static final String DEFAULT_PARALLELISM = "spark.default.parallelism";
  static final String MAX_EXECUTORS = "spark.dynamicAllocation.maxExecutors";

  private DefaultParallelism() {}

  /**
   * The count that {@code key = 0} stands for on this context.
   *
   * @throws ConfigException naming {@code key} when dynamic allocation leaves it unknown
   */
  public static int of(SparkContext sc, String key) {
    return of(sc.getConf(), sc.isLocal(), sc.defaultParallelism(), key);
  }

  /**
   * {@link #of(SparkContext, String)} from a context's settings, whether it runs locally, and its
   * default parallelism.
   */
  static int of(SparkConf conf, boolean local, int sparkDefault, String key) {
    if (local
        || !conf.getBoolean(DYNAMIC_ALLOCATION, false)
        || conf.contains(DEFAULT_PARALLELISM)) {
      return sparkDefault;
    }
    int maxExecutors = conf.getInt(MAX_EXECUTORS, Integer.MAX_VALUE);
    if (maxExecutors > 0 && maxExecutors < Integer.MAX_VALUE) {
      int slots =
          Math.max(1, conf.getInt("spark.executor.cores", 1) / conf.getInt("spark.task.cpus", 1));
      return maxExecutors * slots;
    }
    throw new ConfigException(
        key
            + " = 0 means Spark's default parallelism, which under dynamic allocation ("
            + DYNAMIC_ALLOCATION
            + ") counts only the executors up at the moment: set "
            + key
            + ", "
            + DEFAULT_PARALLELISM
            + " or "
            + MAX_EXECUTORS);
  }
}
