package dev.nightjar.spark;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.NightjarConfig;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The Spark settings every Nightjar session needs, applied in one place for the jobs and for anyone
 * embedding the library: the config's {@code spark.*} settings, {@link NightjarPlugin}, ND4J's
 * threads per task, owner-only permissions on everything written (umask 077), and for an output
 * root on {@code s3a://} the S3A committers. Settings already present (e.g. from spark-submit) win.
 */
public final class SessionSettings {
  /** Spark's commit protocol for Hadoop's PathOutputCommitters (spark-hadoop-cloud). */
  public static final String CLOUD_COMMIT_PROTOCOL =
      "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";

  /** The Parquet committer that hands Parquet's commit to the PathOutputCommitter of the path. */
  public static final String CLOUD_PARQUET_COMMITTER =
      "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

  /**
   * The S3A committer for tables on {@code s3a://}. The magic committer keeps everything it needs
   * between tasks and the job's commit in the bucket itself (uploads left uncompleted until the job
   * commits, and their lists under {@code __magic} paths), so it works where executors share no
   * file system, as on Kubernetes with a local default file system. The staging committers
   * ("directory", "partitioned") pass their pending uploads through the cluster's default file
   * system instead, which must then be one every executor and the driver share (HDFS).
   * S3Proxy-backed tests (S3aFileSystemTest) check it against a real S3 API.
   */
  public static final String S3A_COMMITTER = "magic";

  private static final String SPARK_CLOUD_JAR = "spark-hadoop-cloud_2.12";
  private static final String S3A_COMMITTER_FACTORY =
      "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory";

  private SessionSettings() {}

  public static SparkConf apply(SparkConf sparkConf, NightjarConfig config) {
    return apply(sparkConf, config, SessionSettings::onClasspath);
  }

  /**
   * {@link #apply(SparkConf, NightjarConfig)}, with {@code onClasspath} telling which classes
   * exist.
   */
  static SparkConf apply(
      SparkConf sparkConf, NightjarConfig config, Predicate<String> onClasspath) {
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
    if (isS3a(config.outputRoot())) {
      s3aCommitters(sparkConf, config.outputRoot(), onClasspath);
    }
    return sparkConf;
  }

  /**
   * Tables written to {@code s3a://} go through an S3A committer: Spark's default commit (files
   * written under {@code _temporary} and renamed into place) copies every object on S3 and is
   * neither atomic nor safe against a task attempt that is not the one committed. Without
   * spark-hadoop-cloud the session refuses to start rather than fall back to renames.
   */
  private static void s3aCommitters(
      SparkConf sparkConf, String outputRoot, Predicate<String> onClasspath) {
    boolean protocolMissing = !sparkConf.contains("spark.sql.sources.commitProtocolClass");
    boolean parquetMissing = !sparkConf.contains("spark.sql.parquet.output.committer.class");
    if (protocolMissing || parquetMissing) {
      String sparkVersion = org.apache.spark.package$.MODULE$.SPARK_VERSION();
      if (!onClasspath.test(CLOUD_COMMIT_PROTOCOL)) {
        throw new ConfigException(
            ConfigKeys.OUTPUT_ROOT
                + " = "
                + outputRoot
                + ": writing to s3a:// needs Spark's S3A committers, and "
                + SPARK_CLOUD_JAR
                + "-"
                + sparkVersion
                + ".jar (org.apache.spark:"
                + SPARK_CLOUD_JAR
                + ":"
                + sparkVersion
                + ") is not on the classpath; add it to Spark's jars/");
      }
      if (!onClasspath.test(S3A_COMMITTER_FACTORY)) {
        throw new ConfigException(
            ConfigKeys.OUTPUT_ROOT
                + " = "
                + outputRoot
                + ": writing to s3a:// needs hadoop-aws (org.apache.hadoop:hadoop-aws at the"
                + " version of Spark's Hadoop client), which is not on the classpath; add it to"
                + " Spark's jars/");
      }
    }
    sparkConf.setIfMissing("spark.sql.sources.commitProtocolClass", CLOUD_COMMIT_PROTOCOL);
    sparkConf.setIfMissing("spark.sql.parquet.output.committer.class", CLOUD_PARQUET_COMMITTER);
    sparkConf.setIfMissing("spark.hadoop.fs.s3a.committer.name", S3A_COMMITTER);
    sparkConf.setIfMissing("spark.hadoop.fs.s3a.committer.magic.enabled", "true");
    // Hadoop's mapred-default.xml says the same; a site's own file may not.
    sparkConf.setIfMissing(
        "spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a", S3A_COMMITTER_FACTORY);
  }

  static boolean isS3a(String outputRoot) {
    return outputRoot.regionMatches(true, 0, "s3a://", 0, "s3a://".length());
  }

  private static boolean onClasspath(String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class.forName(
          className, false, loader != null ? loader : SessionSettings.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether the session runs {@link NightjarPlugin} (without it, executors lack its setup). */
  public static boolean hasPlugin(SparkContext sc) {
    return sc.getConf().get("spark.plugins", "").contains(NightjarPlugin.class.getName());
  }
}
