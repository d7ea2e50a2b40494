package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.nightjar.data.Split;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves the configuration layers once and binds them to typed records. Layers, later winning:
 *
 * <ol>
 *   <li>{@code reference.conf} in this jar: every key and its default;
 *   <li>{@code nightjar.conf} in the conf directory, if one is given;
 *   <li>an environment file, if one is given (for example {@code conf/env/standalone.conf});
 *   <li>{@code key=value} overrides, in order. A key starting with {@code spark.} is a Spark
 *       setting; any other key is a Nightjar key, with or without its {@code nightjar.} prefix.
 * </ol>
 *
 * <p>This is the only class that reads keys. Unknown keys and wrong types fail here, naming the key.
 */
public final class ConfigLoader {
  private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("HHmmss");

  private final Optional<File> confDir;
  private final Optional<File> envFile;
  private final List<String> overrides;

  private ConfigLoader(Optional<File> confDir, Optional<File> envFile, List<String> overrides) {
    this.confDir = confDir;
    this.envFile = envFile;
    this.overrides = List.copyOf(overrides);
  }

  /** A loader over the given layers; the conf directory and environment file may be null. */
  public static ConfigLoader of(File confDir, File envFile, List<String> overrides) {
    return new ConfigLoader(Optional.ofNullable(confDir), Optional.ofNullable(envFile), overrides);
  }

  /** Only the defaults and the overrides: what tests and embedding code use. */
  public static NightjarConfig fromOverrides(String... overrides) {
    return of(null, null, List.of(overrides)).load();
  }

  /** Resolves, validates and binds the layers. */
  public NightjarConfig load() {
    Config reference = ConfigFactory.parseResources(ConfigLoader.class, "/reference.conf");
    Config merged = overrideLayer();
    if (envFile.isPresent()) {
      merged = merged.withFallback(parseFile(envFile.get()));
    }
    if (confDir.isPresent()) {
      File shipped = new File(confDir.get(), "nightjar.conf");
      if (!confDir.get().isDirectory()) {
        throw new ConfigException("conf directory not found: " + confDir.get());
      }
      if (shipped.isFile()) {
        merged = merged.withFallback(parseFile(shipped));
      }
    }
    Config resolved;
    try {
      resolved = merged.withFallback(reference).resolve(ConfigResolveOptions.defaults());
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    rejectUnknownKeys(resolved, reference);
    return bind(resolved);
  }

  private Config overrideLayer() {
    Config layer = ConfigFactory.empty("--conf");
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--conf " + override + ": expected key=value");
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      String path = key.startsWith("spark.")
          ? ConfigKeys.SPARK + "." + ConfigUtil.quoteString(key)
          : key.startsWith(ConfigKeys.ROOT + ".") ? key : ConfigKeys.ROOT + "." + key;
      try {
        layer = layer.withValue(path, parseValue(value).withOrigin(
            ConfigValueFactory.fromAnyRef(value, "--conf " + key).origin()));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("--conf " + override + ": not a valid key", e);
      }
    }
    return layer;
  }

  /** A value given on the command line: a list like {@code [a, b]} is parsed, anything else is text. */
  private static ConfigValue parseValue(String value) {
    if (value.startsWith("[")) {
      try {
        return ConfigFactory.parseString("v = " + value).getValue("v");
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("not a valid list: " + value, e);
      }
    }
    return ConfigValueFactory.fromAnyRef(value);
  }

  private static Config parseFile(File file) {
    if (!file.isFile()) {
      throw new ConfigException("config file not found: " + file);
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
  }

  private static void rejectUnknownKeys(Config resolved, Config reference) {
    Config known = reference.getConfig(ConfigKeys.ROOT);
    for (Map.Entry<String, ConfigValue> entry : resolved.getConfig(ConfigKeys.ROOT).entrySet()) {
      String path = entry.getKey();
      if (path.startsWith("spark.")) {
        continue;
      }
      if (!known.hasPathOrNull(path)) {
        String key = ConfigKeys.ROOT + "." + path;
        throw new ConfigException("unknown key " + key + " (from "
            + entry.getValue().origin().description() + ")" + suggestion(path, known));
      }
    }
  }

  private static String suggestion(String path, Config known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known.entrySet().stream().map(Map.Entry::getKey).toList()) {
      int distance = editDistance(path, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= 3 ? "; did you mean " + ConfigKeys.ROOT + "." + best + "?" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static NightjarConfig bind(Config c) {
    Typed t = new Typed(c);
    LocalDate runDate = t.date(ConfigKeys.RUN_DATE);
    String runId = t.string(ConfigKeys.RUN_ID);
    if (!runId.isBlank() && (!runId.matches("[A-Za-z0-9._-]+") || runId.contains(".."))) {
      // The run id names staging folders under the output root: it must not be able to leave it.
      throw ConfigException.badValue(ConfigKeys.RUN_ID, runId, "expected letters, digits, '.', '_' and '-' only");
    }
    if (runId.isBlank()) {
      runId = runDate + "_" + LocalDateTime.now().format(RUN_ID_TIME) + "_"
          + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }
    DataConfig data = new DataConfig(
        DataConfig.Format.parse(t.string(ConfigKeys.DATA_FORMAT), ConfigKeys.DATA_FORMAT),
        t.string(ConfigKeys.DATA_SOURCE),
        t.decimal(ConfigKeys.DATA_TEST_FRACTION),
        t.string(ConfigKeys.DATA_LABEL_COLUMN),
        t.string(ConfigKeys.DATA_IMAGE_COLUMN),
        t.string(ConfigKeys.DATA_TRAIN_IMAGES),
        t.string(ConfigKeys.DATA_TRAIN_LABELS),
        t.string(ConfigKeys.DATA_TEST_IMAGES),
        t.string(ConfigKeys.DATA_TEST_LABELS),
        t.integer(ConfigKeys.DATA_TRAIN_LIMIT),
        t.integer(ConfigKeys.DATA_TEST_LIMIT),
        t.strings(ConfigKeys.DATA_CLASS_NAMES));
    PrepareConfig prepare = new PrepareConfig(
        t.integer(ConfigKeys.PREPARE_PARTITIONS),
        t.decimal(ConfigKeys.PREPARE_VALIDATION_FRACTION),
        t.integer(ConfigKeys.PREPARE_SHARD_SIZE),
        t.longInteger(ConfigKeys.PREPARE_SEED),
        new ImageConfig(
            t.integer(ConfigKeys.PREPARE_IMAGE_CHANNELS),
            t.integer(ConfigKeys.PREPARE_IMAGE_HEIGHT),
            t.integer(ConfigKeys.PREPARE_IMAGE_WIDTH),
            t.longInteger(ConfigKeys.PREPARE_MAX_IMAGE_PIXELS),
            t.longInteger(ConfigKeys.PREPARE_MAX_IMAGE_BYTES)),
        new AugmentConfig(
            t.bool(ConfigKeys.PREPARE_AUGMENT_ENABLED),
            t.decimal(ConfigKeys.PREPARE_AUGMENT_ROTATION),
            t.decimal(ConfigKeys.PREPARE_AUGMENT_TRANSLATE),
            t.decimal(ConfigKeys.PREPARE_AUGMENT_SCALE_MIN),
            t.decimal(ConfigKeys.PREPARE_AUGMENT_SCALE_MAX),
            t.bool(ConfigKeys.PREPARE_AUGMENT_FLIP),
            t.integer(ConfigKeys.PREPARE_AUGMENT_COPIES)),
        t.decimal(ConfigKeys.PREPARE_MAX_QUARANTINE_FRACTION),
        PrepareConfig.ExamplesTable.parse(t.string(ConfigKeys.PREPARE_EXAMPLES_TABLE)),
        t.integer(ConfigKeys.PREPARE_MAX_RECORD_CHARS));
    TrainConfig train = new TrainConfig(
        t.string(ConfigKeys.TRAIN_MODEL),
        t.integer(ConfigKeys.TRAIN_EPOCHS),
        t.decimal(ConfigKeys.TRAIN_LEARNING_RATE),
        t.decimal(ConfigKeys.TRAIN_LEARNING_RATE_DECAY),
        t.integer(ConfigKeys.TRAIN_BATCH_SIZE_PER_WORKER),
        t.integer(ConfigKeys.TRAIN_AVERAGING_FREQUENCY),
        t.integer(ConfigKeys.TRAIN_PREFETCH_BATCHES),
        t.integer(ConfigKeys.TRAIN_WORKERS),
        t.integer(ConfigKeys.TRAIN_THREADS_PER_WORKER),
        TrainConfig.Repartitioning.parse(t.string(ConfigKeys.TRAIN_REPARTITION)),
        t.integer(ConfigKeys.TRAIN_PATIENCE),
        t.bool(ConfigKeys.TRAIN_RESUME),
        t.bool(ConfigKeys.TRAIN_COLLECT_STATS),
        t.longInteger(ConfigKeys.TRAIN_SEED));
    OptimizeConfig optimize = new OptimizeConfig(
        OptimizeConfig.VariantKind.parseAll(t.strings(ConfigKeys.OPTIMIZE_VARIANTS)),
        t.decimal(ConfigKeys.OPTIMIZE_TOLERANCE_POINTS),
        t.integer(ConfigKeys.OPTIMIZE_CALIBRATION_IMAGES),
        t.decimals(ConfigKeys.OPTIMIZE_PRUNE_SPARSITIES),
        t.decimals(ConfigKeys.OPTIMIZE_FILTER_FRACTIONS),
        t.integer(ConfigKeys.OPTIMIZE_FILTER_MULTIPLE),
        t.integer(ConfigKeys.OPTIMIZE_FINE_TUNE_EPOCHS),
        new OptimizeConfig.DistillConfig(
            t.string(ConfigKeys.OPTIMIZE_DISTILL_STUDENT),
            t.integer(ConfigKeys.OPTIMIZE_DISTILL_EPOCHS),
            t.decimal(ConfigKeys.OPTIMIZE_DISTILL_TEMPERATURE),
            t.decimal(ConfigKeys.OPTIMIZE_DISTILL_ALPHA),
            t.decimal(ConfigKeys.OPTIMIZE_DISTILL_LEARNING_RATE)),
        t.strings(ConfigKeys.OPTIMIZE_ARCHITECTURES),
        t.integer(ConfigKeys.OPTIMIZE_LATENCY_RUNS),
        t.integer(ConfigKeys.OPTIMIZE_THROUGHPUT_BATCH),
        t.decimal(ConfigKeys.OPTIMIZE_THROUGHPUT_SECONDS));
    String inputFormat = t.string(ConfigKeys.INFER_INPUT_FORMAT);
    InferConfig infer = new InferConfig(
        t.split(ConfigKeys.INFER_SPLIT),
        t.string(ConfigKeys.INFER_INPUT),
        inputFormat.isBlank() ? data.format() : DataConfig.Format.parse(inputFormat, ConfigKeys.INFER_INPUT_FORMAT),
        t.integer(ConfigKeys.INFER_BATCH_SIZE),
        EngineKind.parse(t.string(ConfigKeys.INFER_ENGINE), ConfigKeys.INFER_ENGINE),
        InferConfig.ServedModel.parse(t.string(ConfigKeys.INFER_MODEL)),
        t.integer(ConfigKeys.INFER_TOP_K),
        t.integer(ConfigKeys.INFER_THREADS_PER_TASK),
        t.bool(ConfigKeys.INFER_ONNXRUNTIME_CUDA));
    PipelineConfig pipeline = new PipelineConfig(t.integer(ConfigKeys.PIPELINE_RETRIES),
        t.duration(ConfigKeys.PIPELINE_RETRY_BACKOFF), t.duration(ConfigKeys.PIPELINE_LOCK_EXPIRY));

    // The hash identifies what the settings produce: when and how a run is started does not count.
    Config settings = c.getConfig(ConfigKeys.ROOT).withoutPath("run-date").withoutPath("run-id")
        .withoutPath("train.resume").withoutPath("pipeline");
    String rendered = c.getConfig(ConfigKeys.ROOT).root()
        .render(ConfigRenderOptions.concise().setFormatted(true));
    return new NightjarConfig(t.string(ConfigKeys.OUTPUT_ROOT), runDate, runId, data, prepare, train,
        optimize, infer, pipeline, sparkSettings(c), rendered, sha256(settings.root().render(ConfigRenderOptions.concise())));
  }

  private static Map<String, String> sparkSettings(Config c) {
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : c.getConfig(ConfigKeys.SPARK).entrySet()) {
      String key = String.join(".", ConfigUtil.splitPath(entry.getKey()));
      if (!key.startsWith("spark.")) {
        throw new ConfigException(ConfigKeys.SPARK + "." + entry.getKey()
            + ": Spark settings must start with spark.");
      }
      settings.put(key, String.valueOf(entry.getValue().unwrapped()));
    }
    return new LinkedHashMap<>(settings);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Typed reads that turn Typesafe's exceptions into one line naming the key and its origin. */
  private record Typed(Config c) {
    String string(String key) {
      return read(key, () -> c.getString(key), "a string");
    }

    int integer(String key) {
      return read(key, () -> c.getInt(key), "a whole number");
    }

    long longInteger(String key) {
      return read(key, () -> c.getLong(key), "a whole number");
    }

    java.time.Duration duration(String key) {
      return read(key, () -> c.getDuration(key), "a duration such as 30s or 24h");
    }

    boolean bool(String key) {
      return read(key, () -> c.getBoolean(key), "true or false");
    }

    double decimal(String key) {
      return read(key, () -> c.getDouble(key), "a number");
    }

    List<Double> decimals(String key) {
      return read(key, () -> new ArrayList<>(c.getDoubleList(key)), "a list of numbers");
    }

    List<String> strings(String key) {
      return read(key, () -> new ArrayList<>(c.getStringList(key)), "a list of strings");
    }

    LocalDate date(String key) {
      String text = string(key);
      if (text.isBlank()) {
        return LocalDate.now();
      }
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw ConfigException.badValue(key, text, "expected a date as YYYY-MM-DD");
      }
    }

    Split split(String key) {
      String text = string(key);
      try {
        return Split.parse(text);
      } catch (IllegalArgumentException e) {
        throw ConfigException.badValue(key, text, "expected train, validation or test");
      }
    }

    private <T> T read(String key, java.util.function.Supplier<T> reader, String expected) {
      try {
        return reader.get();
      } catch (com.typesafe.config.ConfigException.WrongType e) {
        ConfigValue value = c.getValue(key);
        throw new ConfigException(key + " = " + value.render(ConfigRenderOptions.concise())
            + " (from " + value.origin().description() + "): expected " + expected);
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException(key + ": " + e.getMessage(), e);
      }
    }
  }
}
