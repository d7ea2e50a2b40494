package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Binds a resolved tree to the typed records by name: each section is one table that names every
 * key once, beside the reader of its type and the builder setter it feeds. The records' builders
 * hold the range checks.
 */
final class ConfigBinder {
  private static final Section<DataConfig.Builder> DATA =
      new Section<DataConfig.Builder>()
          .bind(
              ConfigKeys.DATA_FORMAT, parsed(DataConfig.Format::parse), DataConfig.Builder::format)
          .bind(ConfigKeys.DATA_SOURCE, TypedConfig::string, DataConfig.Builder::source)
          .bind(
              ConfigKeys.DATA_TEST_FRACTION, TypedConfig::decimal, DataConfig.Builder::testFraction)
          .bind(ConfigKeys.DATA_LABEL_COLUMN, TypedConfig::string, DataConfig.Builder::labelColumn)
          .bind(ConfigKeys.DATA_IMAGE_COLUMN, TypedConfig::string, DataConfig.Builder::imageColumn)
          .bind(ConfigKeys.DATA_TRAIN_IMAGES, TypedConfig::string, DataConfig.Builder::trainImages)
          .bind(ConfigKeys.DATA_TRAIN_LABELS, TypedConfig::string, DataConfig.Builder::trainLabels)
          .bind(ConfigKeys.DATA_TEST_IMAGES, TypedConfig::string, DataConfig.Builder::testImages)
          .bind(ConfigKeys.DATA_TEST_LABELS, TypedConfig::string, DataConfig.Builder::testLabels)
          .bind(ConfigKeys.DATA_TRAIN_LIMIT, TypedConfig::integer, DataConfig.Builder::trainLimit)
          .bind(ConfigKeys.DATA_TEST_LIMIT, TypedConfig::integer, DataConfig.Builder::testLimit)
          .bind(ConfigKeys.DATA_CLASS_NAMES, TypedConfig::strings, DataConfig.Builder::classNames);

  private static final Section<PrepareConfig.Builder> PREPARE =
      new Section<PrepareConfig.Builder>()
          .bind(
              ConfigKeys.PREPARE_PARTITIONS,
              TypedConfig::integer,
              PrepareConfig.Builder::partitions)
          .bind(
              ConfigKeys.PREPARE_VALIDATION_FRACTION,
              TypedConfig::decimal,
              PrepareConfig.Builder::validationFraction)
          .bind(
              ConfigKeys.PREPARE_SHARD_SIZE, TypedConfig::integer, PrepareConfig.Builder::shardSize)
          .bind(ConfigKeys.PREPARE_SEED, TypedConfig::longInteger, PrepareConfig.Builder::seed)
          .bind(
              ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION,
              TypedConfig::decimal,
              PrepareConfig.Builder::maxQuarantineFraction)
          .bind(
              ConfigKeys.PREPARE_EXAMPLES_TABLE,
              text(PrepareConfig.ExamplesTable::parse),
              PrepareConfig.Builder::examplesTable)
          .bind(
              ConfigKeys.PREPARE_MAX_RECORD_CHARS,
              TypedConfig::integer,
              PrepareConfig.Builder::maxRecordChars);

  private static final Section<ImageConfig.Builder> IMAGE =
      new Section<ImageConfig.Builder>()
          .bind(
              ConfigKeys.PREPARE_IMAGE_CHANNELS,
              TypedConfig::integer,
              ImageConfig.Builder::channels)
          .bind(ConfigKeys.PREPARE_IMAGE_HEIGHT, TypedConfig::integer, ImageConfig.Builder::height)
          .bind(ConfigKeys.PREPARE_IMAGE_WIDTH, TypedConfig::integer, ImageConfig.Builder::width)
          .bind(
              ConfigKeys.PREPARE_MAX_IMAGE_PIXELS,
              TypedConfig::longInteger,
              ImageConfig.Builder::maxPixels)
          .bind(
              ConfigKeys.PREPARE_MAX_IMAGE_BYTES,
              TypedConfig::longInteger,
              ImageConfig.Builder::maxBytes);

  private static final Section<AugmentConfig.Builder> AUGMENT =
      new Section<AugmentConfig.Builder>()
          .bind(
              ConfigKeys.PREPARE_AUGMENT_ENABLED, TypedConfig::bool, AugmentConfig.Builder::enabled)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_ROTATION,
              TypedConfig::decimal,
              AugmentConfig.Builder::rotationDegrees)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_TRANSLATE,
              TypedConfig::decimal,
              AugmentConfig.Builder::translate)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_SCALE_MIN,
              TypedConfig::decimal,
              AugmentConfig.Builder::scaleMin)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_SCALE_MAX,
              TypedConfig::decimal,
              AugmentConfig.Builder::scaleMax)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_FLIP,
              TypedConfig::bool,
              AugmentConfig.Builder::horizontalFlip)
          .bind(
              ConfigKeys.PREPARE_AUGMENT_COPIES,
              TypedConfig::integer,
              AugmentConfig.Builder::copies);

  private static final Section<TrainConfig.Builder> TRAIN =
      new Section<TrainConfig.Builder>()
          .bind(ConfigKeys.TRAIN_MODEL, TypedConfig::string, TrainConfig.Builder::model)
          .bind(ConfigKeys.TRAIN_EPOCHS, TypedConfig::integer, TrainConfig.Builder::epochs)
          .bind(
              ConfigKeys.TRAIN_LEARNING_RATE,
              TypedConfig::decimal,
              TrainConfig.Builder::learningRate)
          .bind(
              ConfigKeys.TRAIN_LEARNING_RATE_SCHEDULE,
              parsed(LearningRateSchedule::parse),
              TrainConfig.Builder::learningRateSchedule)
          .bind(
              ConfigKeys.TRAIN_LEARNING_RATE_DECAY,
              TypedConfig::decimal,
              TrainConfig.Builder::learningRateDecay)
          .bind(
              ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER,
              TypedConfig::integer,
              TrainConfig.Builder::batchSizePerWorker)
          .bind(
              ConfigKeys.TRAIN_AVERAGING_FREQUENCY,
              TypedConfig::integer,
              TrainConfig.Builder::averagingFrequency)
          .bind(
              ConfigKeys.TRAIN_PREFETCH_BATCHES,
              TypedConfig::integer,
              TrainConfig.Builder::prefetchBatches)
          .bind(ConfigKeys.TRAIN_WORKERS, TypedConfig::integer, TrainConfig.Builder::workers)
          .bind(
              ConfigKeys.TRAIN_THREADS_PER_WORKER,
              TypedConfig::integer,
              TrainConfig.Builder::threadsPerWorker)
          .bind(ConfigKeys.TRAIN_PATIENCE, TypedConfig::integer, TrainConfig.Builder::patience)
          .bind(ConfigKeys.TRAIN_RESUME, TypedConfig::bool, TrainConfig.Builder::resume)
          .bind(
              ConfigKeys.TRAIN_COLLECT_STATS, TypedConfig::bool, TrainConfig.Builder::collectStats)
          .bind(ConfigKeys.TRAIN_SEED, TypedConfig::longInteger, TrainConfig.Builder::seed);

  private static final Section<OptimizeConfig.Builder> OPTIMIZE =
      new Section<OptimizeConfig.Builder>()
          .bind(
              ConfigKeys.OPTIMIZE_VARIANTS,
              (t, key) -> OptimizeConfig.VariantKind.parseAll(t.strings(key)),
              OptimizeConfig.Builder::variants)
          .bind(
              ConfigKeys.OPTIMIZE_TOLERANCE_POINTS,
              TypedConfig::decimal,
              OptimizeConfig.Builder::tolerancePoints)
          .bind(
              ConfigKeys.OPTIMIZE_CALIBRATION_IMAGES,
              TypedConfig::integer,
              OptimizeConfig.Builder::calibrationImages)
          .bind(
              ConfigKeys.OPTIMIZE_PRUNE_SPARSITIES,
              TypedConfig::decimals,
              OptimizeConfig.Builder::pruneSparsities)
          .bind(
              ConfigKeys.OPTIMIZE_FILTER_FRACTIONS,
              TypedConfig::decimals,
              OptimizeConfig.Builder::filterFractions)
          .bind(
              ConfigKeys.OPTIMIZE_FILTER_MULTIPLE,
              TypedConfig::integer,
              OptimizeConfig.Builder::filterMultiple)
          .bind(
              ConfigKeys.OPTIMIZE_FINE_TUNE_EPOCHS,
              TypedConfig::integer,
              OptimizeConfig.Builder::fineTuneEpochs)
          .bind(
              ConfigKeys.OPTIMIZE_FINE_TUNE_LEARNING_RATE,
              TypedConfig::decimal,
              OptimizeConfig.Builder::fineTuneLearningRate)
          .bind(
              ConfigKeys.OPTIMIZE_ARCHITECTURES,
              TypedConfig::strings,
              OptimizeConfig.Builder::architectures)
          .bind(
              ConfigKeys.OPTIMIZE_LATENCY_RUNS,
              TypedConfig::integer,
              OptimizeConfig.Builder::latencyRuns)
          .bind(
              ConfigKeys.OPTIMIZE_THROUGHPUT_BATCH,
              TypedConfig::integer,
              OptimizeConfig.Builder::throughputBatch)
          .bind(
              ConfigKeys.OPTIMIZE_THROUGHPUT_SECONDS,
              TypedConfig::decimal,
              OptimizeConfig.Builder::throughputSeconds);

  private static final Section<OptimizeConfig.DistillConfig.Builder> DISTILL =
      new Section<OptimizeConfig.DistillConfig.Builder>()
          .bind(
              ConfigKeys.OPTIMIZE_DISTILL_STUDENT,
              TypedConfig::string,
              OptimizeConfig.DistillConfig.Builder::student)
          .bind(
              ConfigKeys.OPTIMIZE_DISTILL_EPOCHS,
              TypedConfig::integer,
              OptimizeConfig.DistillConfig.Builder::epochs)
          .bind(
              ConfigKeys.OPTIMIZE_DISTILL_TEMPERATURE,
              TypedConfig::decimal,
              OptimizeConfig.DistillConfig.Builder::temperature)
          .bind(
              ConfigKeys.OPTIMIZE_DISTILL_ALPHA,
              TypedConfig::decimal,
              OptimizeConfig.DistillConfig.Builder::alpha)
          .bind(
              ConfigKeys.OPTIMIZE_DISTILL_LEARNING_RATE,
              TypedConfig::decimal,
              OptimizeConfig.DistillConfig.Builder::learningRate);

  /** An empty input format leaves the builder's, which {@link #bind} starts at data.format. */
  private static final Section<InferConfig.Builder> INFER =
      new Section<InferConfig.Builder>()
          .bind(ConfigKeys.INFER_SPLIT, TypedConfig::split, InferConfig.Builder::split)
          .bind(ConfigKeys.INFER_INPUT, TypedConfig::string, InferConfig.Builder::input)
          .bind(
              ConfigKeys.INFER_INPUT_FORMAT,
              parsedUnlessEmpty(DataConfig.Format::parse),
              (b, format) -> format.ifPresent(b::inputFormat))
          .bind(ConfigKeys.INFER_BATCH_SIZE, TypedConfig::integer, InferConfig.Builder::batchSize)
          .bind(ConfigKeys.INFER_ENGINE, parsed(EngineKind::parse), InferConfig.Builder::engine)
          .bind(
              ConfigKeys.INFER_MODEL,
              text(InferConfig.ServedModel::parse),
              InferConfig.Builder::model)
          .bind(ConfigKeys.INFER_TOP_K, TypedConfig::integer, InferConfig.Builder::topK)
          .bind(
              ConfigKeys.INFER_THREADS_PER_TASK,
              TypedConfig::integer,
              InferConfig.Builder::threadsPerTask)
          .bind(
              ConfigKeys.INFER_ONNXRUNTIME_CUDA,
              TypedConfig::bool,
              InferConfig.Builder::onnxRuntimeCuda)
          .bind(
              ConfigKeys.INFER_MODEL_ROOTS, TypedConfig::strings, InferConfig.Builder::modelRoots);

  private static final Section<PipelineConfig.Builder> PIPELINE =
      new Section<PipelineConfig.Builder>()
          .bind(ConfigKeys.PIPELINE_RETRIES, TypedConfig::integer, PipelineConfig.Builder::retries)
          .bind(
              ConfigKeys.PIPELINE_RETRY_BACKOFF,
              TypedConfig::duration,
              PipelineConfig.Builder::retryBackoff)
          .bind(
              ConfigKeys.PIPELINE_LOCK_EXPIRY,
              TypedConfig::duration,
              PipelineConfig.Builder::lockExpiry)
          .bind(
              ConfigKeys.PIPELINE_LOCK_RENEWAL,
              TypedConfig::duration,
              PipelineConfig.Builder::lockRenewal)
          .bind(ConfigKeys.PIPELINE_LOCK_URI, TypedConfig::string, PipelineConfig.Builder::lockUri)
          .bind(
              ConfigKeys.PIPELINE_VERSION_GRACE,
              TypedConfig::duration,
              PipelineConfig.Builder::versionGrace)
          .bind(ConfigKeys.PIPELINE_STAGES, TypedConfig::strings, PipelineConfig.Builder::stages);

  /** The run's own keys, read by {@link #bind} itself rather than through a section. */
  private static final List<String> RUN_KEYS =
      List.of(ConfigKeys.OUTPUT_ROOT, ConfigKeys.RUN_DATE, ConfigKeys.RUN_ID);

  private ConfigBinder() {}

  /** The typed records of a resolved tree whose keys are all declared. */
  static NightjarConfig bind(Config resolved) {
    TypedConfig t = new TypedConfig(resolved);
    LocalDate runDate = t.date(ConfigKeys.RUN_DATE);
    String runId = RunIds.resolve(t.string(ConfigKeys.RUN_ID), runDate);
    DataConfig data = DATA.fill(t, DataConfig.builder()).build();
    PrepareConfig prepare =
        PREPARE
            .fill(t, PrepareConfig.builder())
            .image(IMAGE.fill(t, ImageConfig.builder()).build())
            .augment(AUGMENT.fill(t, AugmentConfig.builder()).build())
            .build();
    TrainConfig train = TRAIN.fill(t, TrainConfig.builder()).build();
    OptimizeConfig optimize =
        OPTIMIZE
            .fill(t, OptimizeConfig.builder())
            .distill(DISTILL.fill(t, OptimizeConfig.DistillConfig.builder()).build())
            .build();
    InferConfig infer = INFER.fill(t, InferConfig.builder().inputFormat(data.format())).build();
    PipelineConfig pipeline = PIPELINE.fill(t, PipelineConfig.builder()).build();
    String rendered =
        resolved
            .getConfig(ConfigKeys.ROOT)
            .root()
            .render(ConfigRenderOptions.concise().setFormatted(true));
    return new NightjarConfig(
        t.string(ConfigKeys.OUTPUT_ROOT),
        runDate,
        runId,
        data,
        prepare,
        train,
        optimize,
        infer,
        pipeline,
        sparkSettings(resolved),
        rendered,
        ConfigHash.of(resolved));
  }

  /** Every key the binder reads, section by section; each appears once. */
  static List<String> boundKeys() {
    return Stream.of(
            RUN_KEYS,
            DATA.keys(),
            PREPARE.keys(),
            IMAGE.keys(),
            AUGMENT.keys(),
            TRAIN.keys(),
            OPTIMIZE.keys(),
            DISTILL.keys(),
            INFER.keys(),
            PIPELINE.keys())
        .flatMap(List::stream)
        .toList();
  }

  /** The Spark settings under {@code nightjar.spark}, by their own {@code spark.} names, sorted. */
  private static Map<String, String> sparkSettings(Config c) {
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : c.getConfig(ConfigKeys.SPARK).entrySet()) {
      String key = String.join(".", ConfigUtil.splitPath(entry.getKey()));
      if (!key.startsWith("spark.")) {
        throw new ConfigException(
            ConfigKeys.SPARK + "." + entry.getKey() + ": Spark settings must start with spark.");
      }
      settings.put(key, String.valueOf(entry.getValue().unwrapped()));
    }
    return new LinkedHashMap<>(settings);
  }

  /** Reads text and parses it with a parser that names the key in its error. */
  private static <T> BiFunction<TypedConfig, String, T> parsed(
      BiFunction<String, String, T> parse) {
    return (t, key) -> parse.apply(t.string(key), key);
  }

  /** As {@link #parsed}, but empty text reads as no value, which leaves the builder's. */
  private static <T> BiFunction<TypedConfig, String, Optional<T>> parsedUnlessEmpty(
      BiFunction<String, String, T> parse) {
    return (t, key) -> {
      String text = t.string(key);
      return text.isBlank() ? Optional.empty() : Optional.of(parse.apply(text, key));
    };
  }

  /** Reads text and parses it with a parser that knows its own key. */
  private static <T> BiFunction<TypedConfig, String, T> text(Function<String, T> parse) {
    return (t, key) -> parse.apply(t.string(key));
  }

  /** One section's keys, in order, each read by its type and handed to one builder setter. */
  private static final class Section<B> {
    private final List<String> keys = new ArrayList<>();
    private final List<BiConsumer<TypedConfig, B>> bindings = new ArrayList<>();

    <T> Section<B> bind(String key, BiFunction<TypedConfig, String, T> read, BiConsumer<B, T> set) {
      keys.add(key);
      bindings.add((t, builder) -> set.accept(builder, read.apply(t, key)));
      return this;
    }

    B fill(TypedConfig t, B builder) {
      for (BiConsumer<TypedConfig, B> binding : bindings) {
        binding.accept(t, builder);
      }
      return builder;
    }

    List<String> keys() {
      return List.copyOf(keys);
    }
  }
}
