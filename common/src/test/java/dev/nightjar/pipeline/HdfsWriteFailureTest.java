package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.testing.FolderWatcher;
import dev.nightjar.testing.MiniHdfs;
import dev.nightjar.testing.OutputSnapshot;
import dev.nightjar.testing.QuickNight;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tonight's stages cannot write: the output root's space quota runs out (a full disk, as HDFS
 * reports it) or the job's user may not write there. Each stage fails saying which path it could
 * not write and why, and the output root, last night's partitions included, is left exactly as it
 * was: nothing of tonight's half-written output becomes visible.
 */
@Tag("faults")
@ExtendWith(SparkTestSession.class)
class HdfsWriteFailureTest {
  private static final String LAST_NIGHT = "2026-03-01";
  private static final long MB = 1024 * 1024;

  @TempDir static Path base;
  private static MiniHdfs hdfs;
  private static org.apache.hadoop.fs.Path root;

  @BeforeAll
  static void lastNight(SparkSession spark) throws Exception {
    // Blocks of 1 MB (the smallest the NameNode allows), so a few shards fit in the quota's margin.
    // HDFS checks permissions; the user who started it (this JVM's) is its superuser.
    hdfs = MiniHdfs.start(base.resolve("hdfs"), 2, conf -> conf.setLong("dfs.blocksize", MB));
    root = hdfs.path("/nightjar");
    FileSystem fs = hdfs.fileSystem();
    fs.mkdirs(root);
    fs.setOwner(root, "etl", "etl");
    fs.setPermission(root, new FsPermission((short) 0755));
    QuickNight.run(spark, config(LAST_NIGHT, "last-night"));
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static NightjarConfig config(String date, String runId) {
    return QuickNight.config(root.toString(), date, runId);
  }

  @Test
  void prepareBeyondTheQuotaFailsNamingTheShardAndLeavesTheRootAsItWas(SparkSession spark)
      throws Exception {
    FileSystem fs = hdfs.fileSystem();
    SortedMap<String, String> before = OutputSnapshot.of(fs, root);
    // Room for a few shards (about 0.6 MB each with their replicas; a block being written reserves
    // 2 MB).
    hdfs.setSpaceQuota(root, fs.getContentSummary(root).getSpaceConsumed() + 8 * MB);
    try (FolderWatcher staged =
        FolderWatcher.start(fs, hdfs.path("/nightjar/prepared/run_date=2026-03-02/_versions"))) {
      assertThatThrownBy(() -> Nightjar.prepare(spark, config("2026-03-02", "full")).execute())
          .isInstanceOf(OutputWriteException.class)
          .hasMessageMatching(
              "cannot write "
                  + Pattern.quote(root + "/prepared/run_date=2026-03-02/_versions/")
                  + "\\w+-prepare-full/shards/\\w+/part-\\d{5}-\\d{5}\\.bin: disk quota exceeded \\(The DiskSpace quota of /nightjar is exceeded: .*\\)");
      assertThat(staged.mostFiles()).as("shards staged before the quota ran out").isGreaterThan(2);
    } finally {
      hdfs.clearSpaceQuota(root);
    }
    assertThat(OutputSnapshot.of(fs, root)).isEqualTo(before);
  }

  @Test
  void inferBeyondTheQuotaFailsNamingThePredictionsAndLeavesTheRootAsItWas(SparkSession spark)
      throws Exception {
    FileSystem fs = hdfs.fileSystem();
    NightjarConfig tonight = tonightWithItsModel(spark, "2026-03-03");
    SortedMap<String, String> before = OutputSnapshot.of(fs, root);
    // Parquet asks for blocks of its row group size (128 MB): the first one is refused.
    hdfs.setSpaceQuota(root, fs.getContentSummary(root).getSpaceConsumed() + 16 * MB);
    try {
      assertThatThrownBy(() -> Nightjar.infer(spark, tonight).execute())
          .isInstanceOf(OutputWriteException.class)
          .hasMessageMatching(
              "cannot write "
                  + Pattern.quote(root + "/predictions/run_date=2026-03-03/_versions/")
                  + "\\w+-infer-tonight: disk quota exceeded \\(The DiskSpace quota of /nightjar is exceeded: .*\\)");
    } finally {
      hdfs.clearSpaceQuota(root);
    }
    assertThat(OutputSnapshot.of(fs, root)).isEqualTo(before);
  }

  @Test
  void prepareAsAUserWhoMayNotWriteTheRootIsRefusedNamingThePath(SparkSession spark)
      throws Exception {
    FileSystem fs = hdfs.fileSystem();
    SortedMap<String, String> before = OutputSnapshot.of(fs, root);
    assertThatThrownBy(
            () ->
                asAnalyst(() -> Nightjar.prepare(spark, config("2026-03-04", "analyst")).execute()))
        .isInstanceOf(OutputWriteException.class)
        .hasMessageStartingWith(
            "cannot write "
                + root
                + "/prepared/run_date=2026-03-04: permission denied (Permission denied: "
                + "user=analyst, access=WRITE, inode=\"/nightjar")
        .hasMessageEndingWith(":etl:drwxr-xr-x)");
    assertThat(OutputSnapshot.of(fs, root)).isEqualTo(before);
  }

  @Test
  void inferAsAUserWhoMayNotWriteTheRootIsRefusedNamingThePath(SparkSession spark)
      throws Exception {
    FileSystem fs = hdfs.fileSystem();
    NightjarConfig tonight = tonightWithItsModel(spark, "2026-03-05");
    SortedMap<String, String> before = OutputSnapshot.of(fs, root);
    assertThatThrownBy(() -> asAnalyst(() -> Nightjar.infer(spark, tonight).execute()))
        .isInstanceOf(OutputWriteException.class)
        .hasMessageStartingWith(
            "cannot write "
                + root
                + "/predictions/run_date=2026-03-05: permission denied (Permission denied: "
                + "user=analyst, access=WRITE, inode=\"/nightjar")
        .hasMessageEndingWith(":etl:drwxr-xr-x)");
    assertThat(OutputSnapshot.of(fs, root)).isEqualTo(before);
  }

  /**
   * Tonight's data prepared, and last night's model standing in for tonight's (the train stage is
   * not under test).
   */
  private static NightjarConfig tonightWithItsModel(SparkSession spark, String date)
      throws Exception {
    NightjarConfig tonight = config(date, "tonight");
    Nightjar.prepare(spark, tonight).execute();
    FileSystem fs = hdfs.fileSystem();
    FileUtil.copy(
        fs,
        PublishedOutputs.resolve(
            fs.getConf(),
            root,
            new org.apache.hadoop.fs.Path(root, "models/run_date=" + LAST_NIGHT)),
        fs,
        new org.apache.hadoop.fs.Path(root, "models/run_date=" + date),
        false,
        fs.getConf());
    return tonight;
  }

  /**
   * Runs {@code stage} as the user {@code analyst}. In local mode only the driver's calls take the
   * user on: Spark's task threads keep the JVM's. Every stage's first write is the driver's, its
   * staging folder under the root, and that is where a root the user may not write refuses it.
   */
  private static void asAnalyst(Runnable stage) throws Exception {
    UserGroupInformation analyst = UserGroupInformation.createRemoteUser("analyst");
    try {
      analyst.doAs(
          (PrivilegedExceptionAction<Void>)
              () -> {
                stage.run();
                return null;
              });
    } finally {
      FileSystem.closeAllForUGI(analyst);
    }
  }
}
