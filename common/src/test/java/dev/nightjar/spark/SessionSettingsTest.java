package dev.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
  private static final String PROTOCOL = "spark.sql.sources.commitProtocolClass";
  private static final String PARQUET = "spark.sql.parquet.output.committer.class";
  private static final String COMMITTER = "spark.hadoop.fs.s3a.committer.name";

  private static NightjarConfig root(String outputRoot) {
    return ConfigLoader.fromOverrides("output-root=" + outputRoot);
  }

  @Test
  void theBasicsAreSetAndSettingsAlreadyThereWin() {
    SparkConf conf = new SparkConf(false).set("spark.hadoop.fs.permissions.umask-mode", "022");
    SessionSettings.apply(conf, root("output"));
    assertThat(conf.get("spark.plugins")).isEqualTo(NightjarPlugin.class.getName());
    assertThat(conf.get("spark.hadoop.fs.permissions.umask-mode")).isEqualTo("022");
    assertThat(conf.contains(NightjarPlugin.THREADS_PER_TASK)).isTrue();
  }

  @Test
  void outputRootsOffS3KeepSparksCommit() {
    for (String root : new String[] {"output", "/data/nightjar", "file:///data", "hdfs://nn/x"}) {
      SparkConf conf = SessionSettings.apply(new SparkConf(false), root(root), name -> false);
      assertThat(conf.contains(PROTOCOL)).as(root).isFalse();
      assertThat(conf.contains(PARQUET)).as(root).isFalse();
      assertThat(conf.contains(COMMITTER)).as(root).isFalse();
    }
  }

  @Test
  void anS3aOutputRootWritesThroughTheS3aCommitters() {
    for (String root : new String[] {"s3a://bucket/nightjar", "S3A://bucket/nightjar"}) {
      SparkConf conf = SessionSettings.apply(new SparkConf(false), root(root));
      assertThat(conf.get(PROTOCOL)).isEqualTo(SessionSettings.CLOUD_COMMIT_PROTOCOL);
      assertThat(conf.get(PARQUET)).isEqualTo(SessionSettings.CLOUD_PARQUET_COMMITTER);
      assertThat(conf.get(COMMITTER)).isEqualTo(SessionSettings.S3A_COMMITTER).isEqualTo("magic");
      assertThat(conf.get("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a"))
          .isEqualTo("org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
    }
  }

  @Test
  void theUsersCommitterSettingsWin() {
    SparkConf conf =
        new SparkConf(false)
            .set(COMMITTER, "directory")
            .set("spark.hadoop.fs.s3a.committer.magic.enabled", "false");
    SessionSettings.apply(conf, root("s3a://bucket/nightjar"));
    assertThat(conf.get(COMMITTER)).isEqualTo("directory");
    assertThat(conf.get("spark.hadoop.fs.s3a.committer.magic.enabled")).isEqualTo("false");
    assertThat(conf.get(PROTOCOL)).isEqualTo(SessionSettings.CLOUD_COMMIT_PROTOCOL);

    // The config's own spark settings count as the user's too.
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "output-root=s3a://bucket/nightjar",
            "spark.sql.sources.commitProtocolClass=my.Protocol",
            "spark.sql.parquet.output.committer.class=my.Committer");
    SparkConf mine = SessionSettings.apply(new SparkConf(false), config, name -> false);
    assertThat(mine.get(PROTOCOL)).isEqualTo("my.Protocol");
    assertThat(mine.get(PARQUET)).isEqualTo("my.Committer");
    assertThat(mine.get(COMMITTER)).isEqualTo("magic");
  }

  @Test
  void withoutSparksCloudJarAnS3aRootFailsInOneLineNamingTheJar() {
    assertThatThrownBy(
            () ->
                SessionSettings.apply(
                    new SparkConf(false),
                    root("s3a://bucket/nightjar"),
                    name -> !name.startsWith("org.apache.spark.internal.io.cloud.")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("nightjar.output-root = s3a://bucket/nightjar: ")
        .hasMessageContaining("spark-hadoop-cloud_2.12-3.5.5.jar")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(
            () ->
                SessionSettings.apply(
                    new SparkConf(false),
                    root("s3a://bucket/nightjar"),
                    name -> !name.startsWith("org.apache.hadoop.fs.s3a.")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hadoop-aws")
        .hasMessageNotContaining("\n");
  }
}
