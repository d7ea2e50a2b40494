package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.testing.FolderWatcher;
import dev.nightjar.testing.MiniHdfs;
import dev.nightjar.testing.MiniHdfs.StoppedDataNode;
import dev.nightjar.testing.OutputSnapshot;
import dev.nightjar.testing.QuickNight;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DataNode crashes while the prepare stage writes its shards, and again while the infer stage
 * writes its predictions: HDFS's client rebuilds the write pipelines, and the committed outputs are
 * the same, byte for byte and row for row, as an undisturbed run's, and readable while the node is
 * down.
 */
@Tag("faults")
@ExtendWith(SparkTestSession.class)
class HdfsDataNodeLossTest {
  private static final String DATE = "2026-03-10";

  @TempDir static Path base;
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    // Replication 2 on three DataNodes, and a pipeline that loses a node takes the third one in
    // (policy ALWAYS, as Hadoop's own TestReplaceDatanodeOnFailure runs it), so every block keeps
    // two
    // replicas.
    hdfs =
        MiniHdfs.start(
            base.resolve("hdfs"),
            3,
            conf ->
                conf.set("dfs.client.block.write.replace-datanode-on-failure.policy", "ALWAYS"));
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static NightjarConfig config(String runId) {
    // 50 shard files, written one after another by each task.
    return QuickNight.config(
        hdfs.uri() + "/nightjar", DATE, runId, "data.train-limit=4000", "data.test-limit=1000");
  }

  @Test
  void aDataNodeLostWhileShardsAndPredictionsAreWrittenLosesNothing(SparkSession spark)
      throws Exception {
    FileSystem fs = hdfs.fileSystem();
    assertThat(hdfs.path("/").getFileSystem(spark.sparkContext().hadoopConfiguration()))
        .as("Spark's tasks write through the client with the cluster's settings")
        .isSameAs(fs);
    OutputLayout layout =
        new OutputLayout(hdfs.uri() + "/nightjar", java.time.LocalDate.parse(DATE));
    QuickNight.run(spark, config("undisturbed"));
    SortedMap<String, String> shards =
        OutputSnapshot.of(
            fs, new org.apache.hadoop.fs.Path(published(spark, layout.prepared()), "shards"));
    DataManifest manifest = manifest(spark, layout);
    List<Row> predictions = predictions(spark, layout);

    // The same night's prepare again, a DataNode of an open shard's pipeline crashing while the
    // shard's packets are in flight (their acknowledgements held back until the node is down).
    org.apache.hadoop.fs.Path stagedShards =
        hdfs.path(
            "/nightjar/prepared/run_date=" + DATE + "/_versions/*-prepare-lost-shards/shards");
    AtomicReference<StoppedDataNode> stopped = new AtomicReference<>();
    // Acknowledgements are held once the first shard file appears, not before: the commit's own
    // small files (its in-flight note) must not wait out the hold.
    try (FolderWatcher holder =
            FolderWatcher.start(
                fs, stagedShards, file -> true, file -> hdfs.holdAcknowledgements());
        FolderWatcher watcher =
            FolderWatcher.start(
                fs,
                stagedShards,
                file -> file.getName().endsWith(".tmp") && hdfs.hasPacketsInFlight(file),
                file -> {
                  try {
                    stopped.set(hdfs.stopDataNodeWriting(file));
                  } finally {
                    hdfs.releaseAcknowledgements();
                  }
                })) {
      Nightjar.prepare(spark, config("lost-shards")).execute();
      assertThat(stopped.get()).as("a DataNode stopped while shards were written").isNotNull();
      assertThat(stopped.get().midBlock()).as("it died with packets of a shard in flight").isTrue();
      assertThat(watcher.filesWhenFired())
          .as("shard files staged when it stopped")
          .isLessThan(shards.size());
    }
    System.out.println("Stopped DataNode " + stopped.get());
    // Read back with the DataNode still down: every shard is there, with the undisturbed run's
    // bytes.
    assertThat(manifest(spark, layout).runId()).isEqualTo("lost-shards");
    assertThat(manifest(spark, layout).counts()).isEqualTo(manifest.counts());
    assertThat(
            OutputSnapshot.of(
                fs, new org.apache.hadoop.fs.Path(published(spark, layout.prepared()), "shards")))
        .isEqualTo(shards);
    assertThat(spark.read().parquet(published(spark, layout.prepared()) + "/examples").count())
        .isEqualTo(4000 + 1000);
    hdfs.restart(stopped.get());

    // Tonight's inference again, a DataNode crashing while the prediction files are open (Parquet
    // sends their blocks when it closes them, so the client meets the dead node as it sets a
    // pipeline up).
    stopped.set(null);
    org.apache.hadoop.fs.Path stagedPredictions =
        hdfs.path("/nightjar/predictions/run_date=" + DATE + "/_versions/*-infer-lost-predictions");
    try (FolderWatcher watcher =
        FolderWatcher.start(
            fs,
            stagedPredictions,
            file -> file.getName().startsWith("part-"),
            file -> stopped.set(hdfs.stopDataNodeWriting(file)))) {
      Nightjar.infer(spark, config("lost-predictions")).execute();
      assertThat(watcher.firedBy())
          .as("a DataNode stopped while predictions were written")
          .isPresent();
    }
    System.out.println("Stopped DataNode " + stopped.get());
    // Every row is the rerun's: one run id, its own.
    assertThat(
            spark
                .read()
                .parquet(published(spark, layout.predictions()).toString())
                .select("run_id")
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly("lost-predictions");
    assertThat(predictions(spark, layout)).hasSize(1000).isEqualTo(predictions);
    assertThat(fs.listStatus(hdfs.path("/nightjar/_commits/_inflight"))).isEmpty();
  }

  private static DataManifest manifest(SparkSession spark, OutputLayout layout) {
    return JsonFiles.read(
        spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(published(spark, layout.prepared()), OutputLayout.MANIFEST),
        DataManifest.class);
  }

  /**
   * Id, predicted label and probability (rounded: batches may differ between runs), sorted by id.
   */
  private static List<Row> predictions(SparkSession spark, OutputLayout layout) {
    return spark
        .read()
        .parquet(published(spark, layout.predictions()).toString())
        .selectExpr("id", "predicted_label", "round(probability, 5) as probability")
        .orderBy("id")
        .collectAsList();
  }

  private static org.apache.hadoop.fs.Path published(
      SparkSession spark, org.apache.hadoop.fs.Path output) {
    return PublishedOutputs.resolve(
        spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(hdfs.uri() + "/nightjar"),
        output);
  }
}
