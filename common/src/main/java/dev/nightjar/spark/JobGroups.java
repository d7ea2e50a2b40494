package dev.nightjar.spark;

import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/** Runs a step under a named Spark job group, so the UI and the logs say which step is running. */
public final class JobGroups {
  private JobGroups() {}

  /** Runs {@code step} with job group {@code nightjar-<stage>-<step>}. */
  public static <T> T run(
      SparkContext sc, String stage, String step, String description, Supplier<T> body) {
    String previous = sc.getLocalProperty("spark.jobGroup.id");
    sc.setJobGroup("nightjar-" + stage + "-" + step, description, false);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        sc.clearJobGroup();
      } else {
        sc.setLocalProperty("spark.jobGroup.id", previous);
      }
    }
  }
}
