package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.infer.InferResult;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.SparkTestSession;
import dev.nightjar.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The three stages end to end on a slice of the real Fashion-MNIST, in Spark local mode. */
@ExtendWith(SparkTestSession.class)
class PipelineLocalTest {
  private static final int TRAIN = 3000;
  private static final int TEST = 1000;

  @TempDir Path output;

  private NightjarConfig config(String runId) {
    return ConfigLoader.fromOverrides(
        "output-root=" + output.toUri(), "run-date=2026-01-15", "run-id=" + runId,
        "data.source=" + FashionMnist.dir(), "data.train-limit=" + TRAIN, "data.test-limit=" + TEST,
        "prepare.partitions=3", "train.epochs=2");
  }

  @Test
  void preparesTrainsAndInfersOnASlice(SparkSession spark) throws Exception {
    NightjarConfig config = config("run-1");
    PrepareResult prepared = Nightjar.prepare(spark, config).execute();
    DataManifest manifest = prepared.manifest();
    assertManifestMatchesShards(manifest, Path.of(output.resolve("prepared/run_date=2026-01-15").toString()));
    assertThat(manifest.count(Split.TRAIN) + manifest.count(Split.VALIDATION)).isEqualTo(TRAIN);
    assertThat(manifest.count(Split.VALIDATION)).isBetween(295L, 305L);
    assertThat(manifest.count(Split.TEST)).isEqualTo(TEST);
    assertThat(manifest.partitions()).isEqualTo(3);

    TrainResult trained = Nightjar.train(spark, config).execute();
    assertThat(trained.epochs()).hasSize(2);
    // Chance is 10%; two short epochs on 2,700 images reach about 70%.
    assertThat(trained.model().testAccuracy()).isGreaterThan(0.5);
    assertThat(trained.model().dataManifestId()).isEqualTo(manifest.id());
    assertThat(output.resolve("models/run_date=2026-01-15/model.zip")).isRegularFile();
    assertThat(output.resolve("models/run_date=2026-01-15/training-stats.html")).isNotEmptyFile();
    assertThat(output.resolve("checkpoints/run_date=2026-01-15/epoch-002/state.json")).isRegularFile();
    Dataset<Row> epochs = spark.read().parquet(output.resolve("train_metrics").toUri().toString());
    assertThat(epochs.count()).isEqualTo(2);
    assertThat(epochs.where("workers = 2 and images_per_s > 0 and test_accuracy > 0").count()).isEqualTo(2);

    InferResult inferred = Nightjar.infer(spark, config).execute();
    Dataset<Row> predictions = spark.read().parquet(output.resolve("predictions").toUri().toString());
    assertThat(predictions.count()).isEqualTo(TEST);
    assertThat(predictions.select("id").distinct().count()).isEqualTo(TEST);
    List<String> expectedIds = spark.read().parquet(output.resolve("prepared/run_date=2026-01-15/examples").toUri().toString())
        .where("split = 'test'").select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(predictions.select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrderElementsOf(expectedIds);
    assertThat(predictions.select("model_version").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly(trained.model().version());
    assertThat(predictions.select("run_date").distinct().collectAsList().get(0).get(0).toString()).isEqualTo("2026-01-15");
    assertThat(predictions.where("probability <= 0 or probability > 1").count()).isZero();
    // The predictions table agrees with DL4J's own evaluation of the same model on the same split.
    assertThat(inferred.accuracy()).isCloseTo(trained.model().testAccuracy(), within(0.005));

    Dataset<Row> metrics = spark.read().parquet(output.resolve("metrics").toUri().toString());
    Row accuracy = metrics.where("stage = 'train' and name = 'test_accuracy'").first();
    assertThat(accuracy.getDouble(accuracy.fieldIndex("value"))).isEqualTo(trained.model().testAccuracy());
    assertThat(metrics.where("stage = 'train' and name = 'train_images_per_s' and value > 0").count()).isEqualTo(1);
    assertThat(metrics.where("run_id = 'run-1'").select("stage").distinct().count()).isEqualTo(3);

    // A rerun of the same date replaces its partition: still one row per input, nothing left staged.
    Nightjar.infer(spark, config("run-2")).execute();
    Dataset<Row> rerun = spark.read().parquet(output.resolve("predictions").toUri().toString());
    assertThat(rerun.count()).isEqualTo(TEST);
    assertThat(rerun.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("run-2");
    assertThat(output.resolve("_staging")).doesNotExist();
  }

  private static void assertManifestMatchesShards(DataManifest manifest, Path preparedDir) throws Exception {
    assertThat(preparedDir.resolve(OutputLayout.MANIFEST)).isRegularFile();
    long total = 0;
    for (ShardInfo shard : manifest.shards()) {
      Path file = preparedDir.resolve(shard.path());
      assertThat(file).isRegularFile();
      DataSet dataSet = new DataSet();
      dataSet.load(file.toFile());
      assertThat(dataSet.numExamples()).isEqualTo(shard.examples());
      assertThat(dataSet.getFeatures().shape()).containsExactly(shard.examples(), 1, 28, 28);
      long[] labelCounts = new long[manifest.numClasses()];
      for (int i = 0; i < shard.examples(); i++) {
        labelCounts[dataSet.getLabels().getRow(i).argMax().getInt(0)]++;
      }
      assertThat(labelCounts).isEqualTo(shard.labelCounts());
      total += shard.examples();
    }
    assertThat(total).isEqualTo(manifest.counts().values().stream().mapToLong(Long::longValue).sum());
    for (Split split : Split.values()) {
      assertThat(Arrays.stream(manifest.labelCounts().get(split.label())).sum()).isEqualTo(manifest.count(split));
    }
    try (var files = Files.walk(preparedDir.resolve("shards"))) {
      assertThat(files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".bin")).count())
          .isEqualTo(manifest.shards().size());
    }
  }
}
