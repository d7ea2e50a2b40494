package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Split;
import dev.nightjar.infer.InferResult;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.MiniHdfs;
import dev.nightjar.testing.SparkTestSession;
import dev.nightjar.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs and outputs on a real HDFS (MiniDFSCluster): every stage reads and writes hdfs:// URIs.
 */
@ExtendWith(SparkTestSession.class)
class HdfsPipelineTest {
  @TempDir static Path base;
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    hdfs = MiniHdfs.start(base.resolve("hdfs"), 2);
    FileSystem fs = hdfs.fileSystem();
    for (String file :
        new String[] {
          "train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz"
        }) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(FashionMnist.dir(), file),
          new org.apache.hadoop.fs.Path("/data/fashion/" + file));
    }
    Path images = Files.createDirectories(base.resolve("images"));
    ImageFolders.write(images, 300, 64, "png", label -> true);
    fs.copyFromLocalFile(
        false,
        true,
        new org.apache.hadoop.fs.Path(images.toUri()),
        new org.apache.hadoop.fs.Path("/data/images"));
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void idxPipelineReadsAndWritesHdfs(SparkSession spark) throws Exception {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "output-root=" + hdfs.uri() + "/nightjar",
            "run-date=2026-02-10",
            "run-id=hdfs",
            "data.source=" + hdfs.uri() + "/data/fashion",
            "data.train-limit=1500",
            "data.test-limit=300",
            "prepare.partitions=2",
            "train.epochs=1",
            // One epoch of 1,350 examples learns enough for the accuracy floor below only with
            // several averagings in it: 5 minibatches per averaging make two rounds, not one.
            "train.averaging-frequency=5",
            "train.learning-rate=0.001",
            "optimize.variants=[int8]",
            "optimize.architectures=[]",
            "optimize.latency-runs=10",
            "optimize.throughput-seconds=0.05",
            "optimize.calibration-images=200");
    PrepareResult prepared = Nightjar.prepare(spark, config).execute();
    assertThat(prepared.preparedDir()).startsWith("hdfs://");
    TrainResult trained = Nightjar.train(spark, config).execute();
    Nightjar.optimize(spark, config).execute();
    InferResult inferred = Nightjar.infer(spark, config).execute();

    FileSystem fs = hdfs.fileSystem();
    assertThat(fs.exists(published(fs, "/nightjar/prepared/run_date=2026-02-10/_manifest.json")))
        .isTrue();
    assertThat(fs.exists(published(fs, "/nightjar/models/run_date=2026-02-10/model.zip"))).isTrue();
    assertThat(
            fs.exists(published(fs, "/nightjar/optimized/run_date=2026-02-10/variants/int8.onnx")))
        .isTrue();
    assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("/nightjar/_commits/_inflight")))
        .isEmpty();
    assertThat(trained.model().testAccuracy()).isGreaterThan(0.3);
    assertThat(inferred.rows()).isEqualTo(300);
    assertThat(
            spark
                .read()
                .parquet(published(fs, "/nightjar/predictions/run_date=2026-02-10").toString())
                .select("id")
                .distinct()
                .count())
        .isEqualTo(300);
  }

  /** Where readers find {@code path}, an output under the root /nightjar. */
  private static org.apache.hadoop.fs.Path published(FileSystem fs, String path) {
    return PublishedOutputs.resolve(
        fs.getConf(),
        fs.makeQualified(new org.apache.hadoop.fs.Path("/nightjar")),
        fs.makeQualified(new org.apache.hadoop.fs.Path(path)));
  }

  @Test
  void imageFolderOnHdfsIsPrepared(SparkSession spark) {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "output-root=" + hdfs.uri() + "/images-out",
            "run-date=2026-02-11",
            "run-id=hdfs-images",
            "data.format=images",
            "data.source=" + hdfs.uri() + "/data/images",
            "prepare.partitions=2");
    DataManifest manifest = Nightjar.prepare(spark, config).execute().manifest();
    assertThat(manifest.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
    assertThat(manifest.count(Split.TEST)).isPositive();
    assertThat(manifest.source()).allMatch(uri -> uri.startsWith("hdfs://"));
  }
}
