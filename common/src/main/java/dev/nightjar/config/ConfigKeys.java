package dev.nightjar.config;

/** Every Nightjar key, declared once. Defaults and documentation live in {@code reference.conf}. */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String ROOT = "nightjar";
  public static final String OUTPUT_ROOT = "nightjar.output-root";
  public static final String RUN_DATE = "nightjar.run-date";
  public static final String RUN_ID = "nightjar.run-id";

  public static final String DATA_FORMAT = "nightjar.data.format";
  public static final String DATA_SOURCE = "nightjar.data.source";
  public static final String DATA_TEST_FRACTION = "nightjar.data.test-fraction";
  public static final String DATA_LABEL_COLUMN = "nightjar.data.label-column";
  public static final String DATA_IMAGE_COLUMN = "nightjar.data.image-column";
  public static final String DATA_TRAIN_IMAGES = "nightjar.data.train-images";
  public static final String DATA_TRAIN_LABELS = "nightjar.data.train-labels";
  public static final String DATA_TEST_IMAGES = "nightjar.data.test-images";
  public static final String DATA_TEST_LABELS = "nightjar.data.test-labels";
  public static final String DATA_TRAIN_LIMIT = "nightjar.data.train-limit";
  public static final String DATA_TEST_LIMIT = "nightjar.data.test-limit";
  public static final String DATA_CLASS_NAMES = "nightjar.data.class-names";

  public static final String PREPARE_PARTITIONS = "nightjar.prepare.partitions";
  public static final String PREPARE_VALIDATION_FRACTION = "nightjar.prepare.validation-fraction";
  public static final String PREPARE_SHARD_SIZE = "nightjar.prepare.shard-size";
  public static final String PREPARE_SEED = "nightjar.prepare.seed";
  public static final String PREPARE_MAX_QUARANTINE_FRACTION =
      "nightjar.prepare.max-quarantine-fraction";
  public static final String PREPARE_EXAMPLES_TABLE = "nightjar.prepare.examples-table";
  public static final String PREPARE_MAX_RECORD_CHARS = "nightjar.prepare.max-record-chars";
  public static final String PREPARE_IMAGE_CHANNELS = "nightjar.prepare.image.channels";
  public static final String PREPARE_IMAGE_HEIGHT = "nightjar.prepare.image.height";
  public static final String PREPARE_IMAGE_WIDTH = "nightjar.prepare.image.width";
  public static final String PREPARE_MAX_IMAGE_PIXELS = "nightjar.prepare.image.max-pixels";
  public static final String PREPARE_MAX_IMAGE_BYTES = "nightjar.prepare.image.max-bytes";
  public static final String PREPARE_AUGMENT_ENABLED = "nightjar.prepare.augment.enabled";
  public static final String PREPARE_AUGMENT_ROTATION = "nightjar.prepare.augment.rotation-degrees";
  public static final String PREPARE_AUGMENT_TRANSLATE = "nightjar.prepare.augment.translate";
  public static final String PREPARE_AUGMENT_SCALE_MIN = "nightjar.prepare.augment.scale-min";
  public static final String PREPARE_AUGMENT_SCALE_MAX = "nightjar.prepare.augment.scale-max";
  public static final String PREPARE_AUGMENT_FLIP = "nightjar.prepare.augment.horizontal-flip";
  public static final String PREPARE_AUGMENT_COPIES = "nightjar.prepare.augment.copies";

  public static final String TRAIN_MODEL = "nightjar.train.model";
  public static final String TRAIN_EPOCHS = "nightjar.train.epochs";
  public static final String TRAIN_LEARNING_RATE = "nightjar.train.learning-rate";
  public static final String TRAIN_LEARNING_RATE_SCHEDULE = "nightjar.train.learning-rate-schedule";
  public static final String TRAIN_LEARNING_RATE_DECAY = "nightjar.train.learning-rate-decay";
  public static final String TRAIN_BATCH_SIZE_PER_WORKER = "nightjar.train.batch-size-per-worker";
  public static final String TRAIN_AVERAGING_FREQUENCY = "nightjar.train.averaging-frequency";
  public static final String TRAIN_PREFETCH_BATCHES = "nightjar.train.prefetch-batches";
  public static final String TRAIN_WORKERS = "nightjar.train.workers";
  public static final String TRAIN_THREADS_PER_WORKER = "nightjar.train.threads-per-worker";
  public static final String TRAIN_PATIENCE = "nightjar.train.patience";
  public static final String TRAIN_RESUME = "nightjar.train.resume";
  public static final String TRAIN_COLLECT_STATS = "nightjar.train.collect-stats";
  public static final String TRAIN_SEED = "nightjar.train.seed";

  public static final String INFER_SPLIT = "nightjar.infer.split";
  public static final String INFER_BATCH_SIZE = "nightjar.infer.batch-size";
  public static final String INFER_ENGINE = "nightjar.infer.engine";
  public static final String INFER_INPUT = "nightjar.infer.input";
  public static final String INFER_INPUT_FORMAT = "nightjar.infer.input-format";
  public static final String INFER_MODEL = "nightjar.infer.model";
  public static final String INFER_TOP_K = "nightjar.infer.top-k";
  public static final String INFER_THREADS_PER_TASK = "nightjar.infer.threads-per-task";
  public static final String INFER_ONNXRUNTIME_CUDA = "nightjar.infer.onnxruntime-cuda";
  public static final String INFER_MODEL_ROOTS = "nightjar.infer.model-roots";
  public static final String OPTIMIZE_VARIANTS = "nightjar.optimize.variants";
  public static final String OPTIMIZE_TOLERANCE_POINTS = "nightjar.optimize.tolerance-points";
  public static final String OPTIMIZE_CALIBRATION_IMAGES = "nightjar.optimize.calibration-images";
  public static final String OPTIMIZE_PRUNE_SPARSITIES = "nightjar.optimize.prune-sparsities";
  public static final String OPTIMIZE_FILTER_FRACTIONS = "nightjar.optimize.filter-fractions";
  public static final String OPTIMIZE_FILTER_MULTIPLE = "nightjar.optimize.filter-multiple";
  public static final String OPTIMIZE_FINE_TUNE_EPOCHS = "nightjar.optimize.fine-tune-epochs";
  public static final String OPTIMIZE_FINE_TUNE_LEARNING_RATE =
      "nightjar.optimize.fine-tune-learning-rate";
  public static final String OPTIMIZE_DISTILL_STUDENT = "nightjar.optimize.distill.student";
  public static final String OPTIMIZE_DISTILL_EPOCHS = "nightjar.optimize.distill.epochs";
  public static final String OPTIMIZE_DISTILL_TEMPERATURE = "nightjar.optimize.distill.temperature";
  public static final String OPTIMIZE_DISTILL_ALPHA = "nightjar.optimize.distill.alpha";
  public static final String OPTIMIZE_DISTILL_LEARNING_RATE =
      "nightjar.optimize.distill.learning-rate";
  public static final String OPTIMIZE_ARCHITECTURES = "nightjar.optimize.architectures";
  public static final String OPTIMIZE_LATENCY_RUNS = "nightjar.optimize.latency-runs";
  public static final String OPTIMIZE_THROUGHPUT_BATCH = "nightjar.optimize.throughput-batch";
  public static final String OPTIMIZE_THROUGHPUT_SECONDS = "nightjar.optimize.throughput-seconds";

  public static final String PIPELINE_RETRIES = "nightjar.pipeline.retries";
  public static final String PIPELINE_RETRY_BACKOFF = "nightjar.pipeline.retry-backoff";
  public static final String PIPELINE_LOCK_EXPIRY = "nightjar.pipeline.lock-expiry";
  public static final String PIPELINE_LOCK_RENEWAL = "nightjar.pipeline.lock-renewal";
  public static final String PIPELINE_LOCK_URI = "nightjar.pipeline.lock-uri";
  public static final String PIPELINE_VERSION_GRACE = "nightjar.pipeline.version-grace";
  public static final String PIPELINE_STAGES = "nightjar.pipeline.stages";

  /** Spark settings, kept under their own {@code spark.} names. */
  public static final String SPARK = "nightjar.spark";
}
