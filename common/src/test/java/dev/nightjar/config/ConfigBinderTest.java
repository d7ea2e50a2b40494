package dev.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.data.Split;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  /** The builders' defaults and reference.conf's are written twice; this keeps them equal. */
  @Test
  void buildersDefaultToWhatReferenceConfDeclares() {
    NightjarConfig loaded = ConfigLoader.fromOverrides();
    assertThat(loaded.data()).isEqualTo(DataConfig.builder().build());
    assertThat(loaded.prepare().image()).isEqualTo(ImageConfig.builder().build());
    assertThat(loaded.prepare().augment()).isEqualTo(AugmentConfig.builder().build());
    assertThat(loaded.prepare()).isEqualTo(PrepareConfig.builder().build());
    assertThat(loaded.train()).isEqualTo(TrainConfig.builder().build());
    assertThat(loaded.optimize().distill())
        .isEqualTo(OptimizeConfig.DistillConfig.builder().build());
    assertThat(loaded.optimize()).isEqualTo(OptimizeConfig.builder().build());
    assertThat(loaded.infer()).isEqualTo(InferConfig.builder().build());
    assertThat(loaded.pipeline()).isEqualTo(PipelineConfig.builder().build());
  }

  @Test
  void everyDeclaredKeyIsBoundOnce() {
    List<String> declared =
        ConfigLayers.reference().getConfig(ConfigKeys.ROOT).entrySet().stream()
            .map(e -> ConfigKeys.ROOT + "." + e.getKey())
            .toList();
    assertThat(ConfigBinder.boundKeys())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(declared);
  }

  /**
   * Each key set to a value unlike its default and unlike its neighbours of the same type lands in
   * the setting of its name: a key bound to the wrong setter would show here.
   */
  @Test
  void everyKeyReachesTheSettingOfItsName() {
    Map<String, String> values =
        Map.ofEntries(
            Map.entry(ConfigKeys.DATA_FORMAT, "csv"),
            Map.entry(ConfigKeys.DATA_SOURCE, "/data/in"),
            Map.entry(ConfigKeys.DATA_TEST_FRACTION, "0.3"),
            Map.entry(ConfigKeys.DATA_LABEL_COLUMN, "y"),
            Map.entry(ConfigKeys.DATA_IMAGE_COLUMN, "img"),
            Map.entry(ConfigKeys.DATA_TRAIN_IMAGES, "a.gz"),
            Map.entry(ConfigKeys.DATA_TRAIN_LABELS, "b.gz"),
            Map.entry(ConfigKeys.DATA_TEST_IMAGES, "c.gz"),
            Map.entry(ConfigKeys.DATA_TEST_LABELS, "d.gz"),
            Map.entry(ConfigKeys.DATA_TRAIN_LIMIT, "11"),
            Map.entry(ConfigKeys.DATA_TEST_LIMIT, "12"),
            Map.entry(ConfigKeys.DATA_CLASS_NAMES, "[cat, dog, owl]"),
            Map.entry(ConfigKeys.PREPARE_PARTITIONS, "3"),
            Map.entry(ConfigKeys.PREPARE_VALIDATION_FRACTION, "0.2"),
            Map.entry(ConfigKeys.PREPARE_SHARD_SIZE, "64"),
            Map.entry(ConfigKeys.PREPARE_SEED, "7"),
            Map.entry(ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION, "0.05"),
            Map.entry(ConfigKeys.PREPARE_EXAMPLES_TABLE, "without-pixels"),
            Map.entry(ConfigKeys.PREPARE_IMAGE_CHANNELS, "3"),
            Map.entry(ConfigKeys.PREPARE_IMAGE_HEIGHT, "32"),
            Map.entry(ConfigKeys.PREPARE_IMAGE_WIDTH, "33"),
            Map.entry(ConfigKeys.PREPARE_MAX_IMAGE_PIXELS, "1000"),
            Map.entry(ConfigKeys.PREPARE_MAX_IMAGE_BYTES, "2048"),
            Map.entry(ConfigKeys.PREPARE_MAX_RECORD_CHARS, "4096"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_ENABLED, "true"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_ROTATION, "10"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_TRANSLATE, "0.2"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_SCALE_MIN, "0.8"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_SCALE_MAX, "1.5"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_FLIP, "true"),
            Map.entry(ConfigKeys.PREPARE_AUGMENT_COPIES, "4"),
            Map.entry(ConfigKeys.TRAIN_MODEL, "lenet"),
            Map.entry(ConfigKeys.TRAIN_EPOCHS, "3"),
            Map.entry(ConfigKeys.TRAIN_LEARNING_RATE, "0.01"),
            Map.entry(ConfigKeys.TRAIN_LEARNING_RATE_SCHEDULE, "cosine"),
            Map.entry(ConfigKeys.TRAIN_LEARNING_RATE_DECAY, "0.5"),
            Map.entry(ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER, "32"),
            Map.entry(ConfigKeys.TRAIN_AVERAGING_FREQUENCY, "7"),
            Map.entry(ConfigKeys.TRAIN_PREFETCH_BATCHES, "4"),
            Map.entry(ConfigKeys.TRAIN_WORKERS, "2"),
            Map.entry(ConfigKeys.TRAIN_THREADS_PER_WORKER, "5"),
            Map.entry(ConfigKeys.TRAIN_PATIENCE, "6"),
            Map.entry(ConfigKeys.TRAIN_RESUME, "true"),
            Map.entry(ConfigKeys.TRAIN_COLLECT_STATS, "false"),
            Map.entry(ConfigKeys.TRAIN_SEED, "9"),
            Map.entry(ConfigKeys.OPTIMIZE_VARIANTS, "[int8, pruned]"),
            Map.entry(ConfigKeys.OPTIMIZE_TOLERANCE_POINTS, "2.5"),
            Map.entry(ConfigKeys.OPTIMIZE_CALIBRATION_IMAGES, "500"),
            Map.entry(ConfigKeys.OPTIMIZE_PRUNE_SPARSITIES, "[0.6]"),
            Map.entry(ConfigKeys.OPTIMIZE_FILTER_FRACTIONS, "[0.25]"),
            Map.entry(ConfigKeys.OPTIMIZE_FILTER_MULTIPLE, "8"),
            Map.entry(ConfigKeys.OPTIMIZE_FINE_TUNE_EPOCHS, "1"),
            Map.entry(ConfigKeys.OPTIMIZE_FINE_TUNE_LEARNING_RATE, "0.0005"),
            Map.entry(ConfigKeys.OPTIMIZE_DISTILL_STUDENT, "lenet"),
            Map.entry(ConfigKeys.OPTIMIZE_DISTILL_EPOCHS, "3"),
            Map.entry(ConfigKeys.OPTIMIZE_DISTILL_TEMPERATURE, "2.0"),
            Map.entry(ConfigKeys.OPTIMIZE_DISTILL_ALPHA, "0.4"),
            Map.entry(ConfigKeys.OPTIMIZE_DISTILL_LEARNING_RATE, "0.005"),
            Map.entry(ConfigKeys.OPTIMIZE_ARCHITECTURES, "[lenet]"),
            Map.entry(ConfigKeys.OPTIMIZE_LATENCY_RUNS, "50"),
            Map.entry(ConfigKeys.OPTIMIZE_THROUGHPUT_BATCH, "64"),
            Map.entry(ConfigKeys.OPTIMIZE_THROUGHPUT_SECONDS, "0.5"),
            Map.entry(ConfigKeys.INFER_SPLIT, "validation"),
            Map.entry(ConfigKeys.INFER_INPUT, "/data/new"),
            Map.entry(ConfigKeys.INFER_INPUT_FORMAT, "parquet"),
            Map.entry(ConfigKeys.INFER_BATCH_SIZE, "128"),
            Map.entry(ConfigKeys.INFER_ENGINE, "dl4j"),
            Map.entry(ConfigKeys.INFER_MODEL, "trained"),
            Map.entry(ConfigKeys.INFER_TOP_K, "3"),
            Map.entry(ConfigKeys.INFER_THREADS_PER_TASK, "2"),
            Map.entry(ConfigKeys.INFER_ONNXRUNTIME_CUDA, "true"),
            Map.entry(ConfigKeys.INFER_MODEL_ROOTS, "[\"hdfs://nn/registry\"]"),
            Map.entry(ConfigKeys.PIPELINE_RETRIES, "4"),
            Map.entry(ConfigKeys.PIPELINE_RETRY_BACKOFF, "10s"),
            Map.entry(ConfigKeys.PIPELINE_LOCK_EXPIRY, "2h"),
            Map.entry(ConfigKeys.PIPELINE_LOCK_RENEWAL, "1m"),
            Map.entry(ConfigKeys.PIPELINE_LOCK_URI, "hdfs://nn/locks/nightjar"),
            Map.entry(ConfigKeys.PIPELINE_VERSION_GRACE, "3h"),
            Map.entry(ConfigKeys.PIPELINE_STAGES, "[infer]"));
    assertThat(values.keySet())
        .containsExactlyInAnyOrderElementsOf(
            ConfigBinder.boundKeys().stream()
                .filter(
                    key ->
                        !List.of(ConfigKeys.OUTPUT_ROOT, ConfigKeys.RUN_DATE, ConfigKeys.RUN_ID)
                            .contains(key))
                .toList());

    NightjarConfig loaded =
        ConfigLoader.fromOverrides(
            values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));

    assertThat(loaded.data())
        .isEqualTo(
            DataConfig.builder()
                .format(DataConfig.Format.CSV)
                .source("/data/in")
                .testFraction(0.3)
                .labelColumn("y")
                .imageColumn("img")
                .trainImages("a.gz")
                .trainLabels("b.gz")
                .testImages("c.gz")
                .testLabels("d.gz")
                .trainLimit(11)
                .testLimit(12)
                .classNames(List.of("cat", "dog", "owl"))
                .build());
    assertThat(loaded.prepare())
        .isEqualTo(
            PrepareConfig.builder()
                .partitions(3)
                .validationFraction(0.2)
                .shardSize(64)
                .seed(7)
                .maxQuarantineFraction(0.05)
                .examplesTable(PrepareConfig.ExamplesTable.WITHOUT_PIXELS)
                .maxRecordChars(4096)
                .image(
                    ImageConfig.builder()
                        .channels(3)
                        .height(32)
                        .width(33)
                        .maxPixels(1000)
                        .maxBytes(2048)
                        .build())
                .augment(
                    AugmentConfig.builder()
                        .enabled(true)
                        .rotationDegrees(10)
                        .translate(0.2)
                        .scaleMin(0.8)
                        .scaleMax(1.5)
                        .horizontalFlip(true)
                        .copies(4)
                        .build())
                .build());
    assertThat(loaded.train())
        .isEqualTo(
            TrainConfig.builder()
                .model("lenet")
                .epochs(3)
                .learningRate(0.01)
                .learningRateSchedule(LearningRateSchedule.COSINE)
                .learningRateDecay(0.5)
                .batchSizePerWorker(32)
                .averagingFrequency(7)
                .prefetchBatches(4)
                .workers(2)
                .threadsPerWorker(5)
                .patience(6)
                .resume(true)
                .collectStats(false)
                .seed(9)
                .build());
    assertThat(loaded.optimize())
        .isEqualTo(
            OptimizeConfig.builder()
                .variants(
                    List.of(OptimizeConfig.VariantKind.INT8, OptimizeConfig.VariantKind.PRUNED))
                .tolerancePoints(2.5)
                .calibrationImages(500)
                .pruneSparsities(List.of(0.6))
                .filterFractions(List.of(0.25))
                .filterMultiple(8)
                .fineTuneEpochs(1)
                .fineTuneLearningRate(0.0005)
                .distill(
                    OptimizeConfig.DistillConfig.builder()
                        .student("lenet")
                        .epochs(3)
                        .temperature(2.0)
                        .alpha(0.4)
                        .learningRate(0.005)
                        .build())
                .architectures(List.of("lenet"))
                .latencyRuns(50)
                .throughputBatch(64)
                .throughputSeconds(0.5)
                .build());
    assertThat(loaded.infer())
        .isEqualTo(
            InferConfig.builder()
                .split(Split.VALIDATION)
                .input("/data/new")
                .inputFormat(DataConfig.Format.PARQUET)
                .batchSize(128)
                .engine(EngineKind.DL4J)
                .model(InferConfig.ServedModel.TRAINED)
                .topK(3)
                .threadsPerTask(2)
                .onnxRuntimeCuda(true)
                .modelRoots(List.of("hdfs://nn/registry"))
                .build());
    assertThat(loaded.pipeline())
        .isEqualTo(
            PipelineConfig.builder()
                .retries(4)
                .retryBackoff(Duration.ofSeconds(10))
                .lockExpiry(Duration.ofHours(2))
                .lockRenewal(Duration.ofMinutes(1))
                .lockUri("hdfs://nn/locks/nightjar")
                .versionGrace(Duration.ofHours(3))
                .stages(List.of("infer"))
                .build());
  }

  @Test
  void anEmptyInputFormatFollowsTheDataFormat() {
    assertThat(ConfigLoader.fromOverrides("data.format=parquet").infer().inputFormat())
        .isEqualTo(DataConfig.Format.PARQUET);
    assertThat(
            ConfigLoader.fromOverrides("data.format=parquet", "infer.input-format=csv")
                .infer()
                .inputFormat())
        .isEqualTo(DataConfig.Format.CSV);
  }
}
