package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.InputScaling;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.infer.InferResult;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.optimize.OptimizeResult;
import dev.nightjar.optimize.VariantResult;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import dev.nightjar.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The four stages end to end on a slice of the real Fashion-MNIST, in Spark local mode. */
@ExtendWith(SparkTestSession.class)
class PipelineLocalTest {
  private static final int TRAIN = 3000;
  private static final int TEST = 1000;

  @TempDir Path output;

  private NightjarConfig config(String runId) {
    return ConfigLoader.fromOverrides(
        "output-root=" + output.toUri(),
        "run-date=2026-01-15",
        "run-id=" + runId,
        "data.source=" + FashionMnist.dir(),
        "data.train-limit=" + TRAIN,
        "data.test-limit=" + TEST,
        "prepare.partitions=3",
        "train.epochs=2",
        // A quick optimize stage: every kind of variant, with short training and timing.
        "optimize.prune-sparsities=[0.5]",
        "optimize.filter-fractions=[0.5]",
        "optimize.distill.epochs=1",
        "optimize.calibration-images=300",
        "optimize.architectures=[separable-cnn]",
        "optimize.latency-runs=20",
        "optimize.throughput-seconds=0.05",
        "infer.top-k=3");
  }

  @Test
  void preparesTrainsAndInfersOnASlice(SparkSession spark) throws Exception {
    NightjarConfig config = config("run-1");
    PrepareResult prepared = Nightjar.prepare(spark, config).execute();
    DataManifest manifest = prepared.manifest();
    assertManifestMatchesShards(
        manifest, Path.of(Published.path(output, "prepared/run_date=2026-01-15").toString()));
    assertThat(manifest.count(Split.TRAIN) + manifest.count(Split.VALIDATION)).isEqualTo(TRAIN);
    assertThat(manifest.count(Split.VALIDATION)).isBetween(295L, 305L);
    assertThat(manifest.count(Split.TEST)).isEqualTo(TEST);
    assertThat(manifest.partitions()).isEqualTo(3);

    TrainResult trained = Nightjar.train(spark, config).execute();
    assertThat(trained.epochs()).hasSize(2);
    // Chance is 10%; two short epochs on 2,700 images reach about 70%.
    assertThat(trained.model().testAccuracy()).isGreaterThan(0.5);
    assertThat(trained.model().dataManifestId()).isEqualTo(manifest.id());
    assertThat(Published.path(output, "models/run_date=2026-01-15/model.zip")).isRegularFile();
    assertThat(Published.path(output, "models/run_date=2026-01-15/training-stats.html"))
        .isNotEmptyFile();
    assertThat(output.resolve("checkpoints/run_date=2026-01-15/epoch-002/state.json"))
        .isRegularFile();
    Dataset<Row> epochs = Published.table(spark, output, "train_metrics");
    assertThat(epochs.count()).isEqualTo(2);
    assertThat(epochs.where("workers = 2 and images_per_s > 0 and test_accuracy > 0").count())
        .isEqualTo(2);
    assertThat(epochs.select("examples_fitted").as(Encoders.LONG()).collectAsList())
        .as("every training example fitted in each epoch, counted by the tasks that fitted them")
        .containsExactly(manifest.count(Split.TRAIN), manifest.count(Split.TRAIN));

    OptimizeResult optimized = Nightjar.optimize(spark, config).execute();
    assertOptimized(spark, optimized, trained);

    InferResult inferred = Nightjar.infer(spark, config).execute();
    Dataset<Row> predictions = Published.table(spark, output, "predictions");
    assertThat(predictions.count()).isEqualTo(TEST);
    assertThat(predictions.select("id").distinct().count()).isEqualTo(TEST);
    List<String> expectedIds =
        spark
            .read()
            .parquet(Published.uri(output, "prepared/run_date=2026-01-15/examples"))
            .where("split = 'test'")
            .select("id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(predictions.select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrderElementsOf(expectedIds);
    assertThat(
            predictions
                .select("model_version")
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly(optimized.serving().version());
    assertThat(inferred.engine()).isEqualTo("onnxruntime");
    assertThat(predictions.where("size(top_k) = 3 and top_k[0].label = predicted_label").count())
        .isEqualTo(TEST);
    assertThat(predictions.select("run_date").distinct().collectAsList().get(0).get(0).toString())
        .isEqualTo("2026-01-15");
    assertThat(predictions.where("probability <= 0 or probability > 1").count()).isZero();
    // The predictions table agrees with the optimize stage's measurement of the serving model.
    assertThat(inferred.accuracy()).isCloseTo(optimized.serving().testAccuracy(), within(0.002));

    Dataset<Row> metrics = Published.table(spark, output, "metrics");
    Row accuracy = metrics.where("stage = 'train' and name = 'test_accuracy'").first();
    assertThat(accuracy.getDouble(accuracy.fieldIndex("value")))
        .isEqualTo(trained.model().testAccuracy());
    assertThat(
            metrics.where("stage = 'train' and name = 'train_images_per_s' and value > 0").count())
        .isEqualTo(1);
    assertThat(metrics.where("run_id = 'run-1'").select("stage").distinct().count()).isEqualTo(4);

    // A rerun of the same date replaces its partition: still one row per input, nothing left
    // staged.
    Nightjar.infer(spark, config("run-2")).execute();
    Dataset<Row> rerun = Published.table(spark, output, "predictions");
    assertThat(rerun.count()).isEqualTo(TEST);
    assertThat(
            rerun
                .select("run_id")
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly("run-2");
    assertThat(output.resolve("_commits/_inflight")).isEmptyDirectory();
  }

  private void assertOptimized(SparkSession spark, OptimizeResult optimized, TrainResult trained)
      throws Exception {
    Path dir = Published.path(output, "optimized/run_date=2026-01-15");
    Map<String, VariantResult> byKey = new HashMap<>();
    optimized.variants().forEach(v -> byKey.put(v.name() + "/" + v.engine(), v));
    assertThat(byKey)
        .containsOnlyKeys(
            "fp32/dl4j",
            "fp32/onnxruntime",
            "fp16/onnxruntime",
            "bf16/onnxruntime",
            "int8/onnxruntime",
            "pruned-50/dl4j",
            "filter-pruned-50/dl4j",
            "filter-pruned-50/onnxruntime",
            "filter-pruned-50-int8/onnxruntime",
            "distilled-tiny-cnn/dl4j",
            "distilled-tiny-cnn/onnxruntime",
            "distilled-tiny-cnn-int8/onnxruntime",
            "arch-separable-cnn/onnxruntime");
    VariantResult dl4j = byKey.get("fp32/dl4j");
    VariantResult onnx = byKey.get("fp32/onnxruntime");
    // The same model on both engines: DL4J's evaluation, and the export checked on real images.
    assertThat(dl4j.testAccuracy()).isCloseTo(trained.model().testAccuracy(), within(1e-9));
    assertThat(onnx.testAccuracy()).isCloseTo(dl4j.testAccuracy(), within(0.002));
    assertThat(byKey.get("int8/onnxruntime").sizeBytes() * 3.5).isLessThan(onnx.sizeBytes());
    assertThat(byKey.get("fp16/onnxruntime").sizeBytes()).isLessThan(onnx.sizeBytes() * 55 / 100);
    assertThat(byKey.get("pruned-50/dl4j").sizeBytes()).isLessThan(dl4j.sizeBytes());
    assertThat(byKey.get("filter-pruned-50/dl4j").parameters()).isLessThan(dl4j.parameters() / 2);
    assertThat(byKey.get("filter-pruned-50/dl4j").macs()).isLessThan(dl4j.macs() / 2);
    assertThat(byKey.get("arch-separable-cnn/onnxruntime").hasAccuracy()).isFalse();
    assertThat(byKey.get("distilled-tiny-cnn/dl4j").testAccuracy()).isGreaterThan(0.3);
    for (VariantResult variant : optimized.variants()) {
      assertThat(Path.of(java.net.URI.create(variant.file())))
          .isRegularFile()
          .hasSize(variant.sizeBytes());
      assertThat(variant.imagesPerSecond()).isPositive();
      assertThat(variant.latencyP50Millis())
          .isPositive()
          .isLessThanOrEqualTo(variant.latencyP95Millis());
    }

    ServingDecision serving = optimized.serving();
    assertThat(serving.engine()).isEqualTo("onnxruntime");
    assertThat(serving.dropPoints()).isLessThanOrEqualTo(1.0);
    assertThat(serving.baselineAccuracy()).isEqualTo(onnx.testAccuracy());
    assertThat(serving.imagesPerSecond()).isGreaterThanOrEqualTo(onnx.imagesPerSecond());
    assertThat(dir.resolve("serving.json")).isRegularFile();
    assertThat(serving.classNames()).hasSize(10).startsWith("T-shirt/top");
    assertThat(serving.inputName()).isEqualTo(OnnxExporter.INPUT_NAME);
    assertThat(serving.outputName()).isEqualTo(OnnxExporter.OUTPUT_NAME);
    assertThat(serving.inputScaling()).isEqualTo(InputScaling.unitRange());
    assertThat(dir.resolve("model-variants.png")).isNotEmptyFile();
    assertThat(dir.resolve("_scratch")).doesNotExist();
    Dataset<Row> table = Published.table(spark, output, "model_variants");
    assertThat(table.count()).isEqualTo(optimized.variants().size());
    assertThat(
            table
                .where("selected")
                .select("variant")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly(serving.variant());

    // A serving model that lost more than the tolerance is refused, not shipped silently.
    Path decisionFile = dir.resolve("serving.json");
    String original = Files.readString(decisionFile);
    ObjectMapper json = new ObjectMapper();
    ObjectNode doctored = (ObjectNode) json.readTree(original);
    doctored.put("testAccuracy", serving.baselineAccuracy() - 0.05);
    // Hadoop's local file system checks a .crc beside each file; an edit by hand drops it.
    Files.deleteIfExists(dir.resolve(".serving.json.crc"));
    Files.writeString(decisionFile, json.writeValueAsString(doctored));
    assertThatThrownBy(() -> Nightjar.infer(spark, config("run-refused")).execute())
        .hasMessageContaining("refusing to serve " + serving.variant())
        .hasMessageContaining("5.00 points below");
    Files.writeString(decisionFile, original);
  }

  private static void assertManifestMatchesShards(DataManifest manifest, Path preparedDir)
      throws Exception {
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
    assertThat(total)
        .isEqualTo(manifest.counts().values().stream().mapToLong(Long::longValue).sum());
    for (Split split : Split.values()) {
      assertThat(Arrays.stream(manifest.labelCounts().get(split.label())).sum())
          .isEqualTo(manifest.count(split));
    }
    try (var files = Files.walk(preparedDir.resolve("shards"))) {
      assertThat(
              files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".bin")).count())
          .isEqualTo(manifest.shards().size());
    }
  }
}
