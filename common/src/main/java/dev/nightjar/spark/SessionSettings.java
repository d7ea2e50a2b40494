package dev.nightjar.spark;

import dev.nightjar.config.NightjarConfig;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The Spark settings every Nightjar session needs, applied in one place for the jobs and for anyone
 * embedding the library: the config's {@code spark.*} settings, {@link NightjarPlugin}, ND4J's
 * threads per task, and owner-only permissions on everything written (umask 077). Settings already
 * present (e.g. from spark-submit) win.
 */
public final class SessionSettings {
  private SessionSettings() {}

  public static SparkConf apply(SparkConf sparkConf, NightjarConfig config) {
    for (Map.Entry<String, String> setting : config.sparkSettings().entrySet()) {
      sparkConf.setIfMissing(setting.getKey(), setting.getValue());
    }
    String plugins = sparkConf.get("spark.plugins", "");
    if (!plugins.contains(NightjarPlugin.class.getName())) {
      sparkConf.set(
          "spark.plugins",
          plugins.isEmpty()
              ? NightjarPlugin.class.getName()
              : plugins + "," + NightjarPlugin.class.getName());
    }
    // Outputs and checkpoints are the team's data: owner-only unless the site says otherwise.
    sparkConf.setIfMissing("spark.hadoop.fs.permissions.umask-mode", "077");
    String threads = String.valueOf(config.train().threadsPerWorker());
    sparkConf.setIfMissing(NightjarPlugin.THREADS_PER_TASK, threads);
    sparkConf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", threads);
    return sparkConf;
  }

  /** Whether the session runs {@link NightjarPlugin} (without it, executors lack its setup). */
  public static boolean hasPlugin(SparkContext sc) {
    return sc.getConf().get("spark.plugins", "").contains(NightjarPlugin.class.getName());
  }
}
