package dev.nightjar.spark;

import org.apache.spark.SparkContext;

/**
 * How many tasks run at once in one executor JVM: all of them in local mode, else the executor's
 * cores.
 */
public final class TaskSlots {
  private TaskSlots() {}

  public static int perJvm(SparkContext sc) {
    if (sc.isLocal()) {
      return Math.max(1, sc.defaultParallelism());
    }
    int cores = sc.getConf().getInt("spark.executor.cores", 1);
    int perTask = sc.getConf().getInt("spark.task.cpus", 1);
    return Math.max(1, cores / perTask);
  }
}
