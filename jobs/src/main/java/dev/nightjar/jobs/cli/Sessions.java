package dev.nightjar.jobs.cli;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.spark.ProgressLogger;
import dev.nightjar.spark.SessionSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the session a job runs in. Under spark-submit the master and every {@code --conf} given to
 * spark-submit come from it; run directly, a job uses {@code --master} or {@code local[*]}.
 */
public final class Sessions {
  private static final long PROGRESS_INTERVAL_MILLIS = 15_000;

  private Sessions() {}

  public static SparkSession forJob(String appName, JobOptions options, NightjarConfig config) {
    SparkConf sparkConf = SessionSettings.apply(new SparkConf(), config);
    if (options.master() != null) {
      sparkConf.setMaster(options.master());
    } else if (!sparkConf.contains("spark.master")) {
      sparkConf.setMaster("local[*]");
    }
    sparkConf.setIfMissing("spark.app.name", appName);
    SparkSession spark = SparkSession.builder().config(sparkConf).getOrCreate();
    spark.sparkContext().addSparkListener(new ProgressLogger(PROGRESS_INTERVAL_MILLIS));
    return spark;
  }

  /**
   * The Hadoop configuration a job sees before Spark starts: defaults plus the {@code
   * spark.hadoop.*} settings the session will have, spark-submit's {@code --conf} (system
   * properties in the driver) over {@code nightjar.spark}, so that the inputs checked and the lock
   * taken before the session are reached as the session reaches them (an S3 endpoint, say).
   */
  public static Configuration hadoopConf(NightjarConfig config) {
    Configuration conf = new Configuration();
    conf.set("fs.permissions.umask-mode", "077");
    for (scala.Tuple2<String, String> setting :
        SessionSettings.apply(new SparkConf(), config).getAll()) {
      if (setting._1().startsWith("spark.hadoop.")) {
        conf.set(setting._1().substring("spark.hadoop.".length()), setting._2());
      }
    }
    return conf;
  }
}
