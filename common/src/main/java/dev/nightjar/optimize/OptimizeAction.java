package dev.nightjar.optimize;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.OptimizeConfig.VariantKind;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.metrics.Metric;
import dev.nightjar.metrics.MetricsTable;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.optimize.measure.EvaluationImages;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import dev.nightjar.optimize.variant.ArchitectureVariants;
import dev.nightjar.optimize.variant.BaselineVariants;
import dev.nightjar.optimize.variant.DistilledVariants;
import dev.nightjar.optimize.variant.FilterPrunedVariants;
import dev.nightjar.optimize.variant.PrunedVariants;
import dev.nightjar.optimize.variant.QuantizedVariants;
import dev.nightjar.optimize.variant.TeacherShards;
import dev.nightjar.optimize.variant.VariantBuilder;
import dev.nightjar.optimize.variant.VariantContext;
import dev.nightjar.train.EpochFitter;
import dev.nightjar.train.ShardLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.optimize.variant.Variant;

/**
 * The optimize stage: builds variants of the trained model (lower precision, pruned, distilled)
 * and compares the zoo's architectures; measures each on its engine in the driver (test accuracy,
 * size, parameters, MACs, latency, throughput); selects the serving model with
 * {@link ServingSelector}; and commits the variants with {@code serving.json} and a plot as
 * {@code optimized/run_date=D}, and the measurements as the {@code model_variants} table.
 */
public final class OptimizeAction {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizeAction.class);
  public static final String STAGE = "optimize";
  public static final String VARIANTS_DIR = "variants";
  static final String PLOT = "model-variants.png";
  private static final String SCRATCH = "_scratch";

  private final SparkSession spark;
  private final NightjarConfig config;

  public OptimizeAction(SparkSession spark, NightjarConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public OptimizeResult execute() {
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    OptimizeConfig optimize = config.optimize();

    DataManifest manifest = JsonFiles.read(hadoopConf, new Path(layout.prepared(), OutputLayout.MANIFEST), DataManifest.class);
    if (manifest.count(Split.TEST) == 0) {
      throw new InputException(layout.prepared() + ": the optimize stage measures variants on the test split, which is empty");
    }
    ModelMetadata trainedMetadata = ModelStore.readMetadata(hadoopConf, layout.models());
    MultiLayerNetwork trained = ModelStore.loadNetwork(hadoopConf, layout.models());
    ModelInput input = ModelInput.of(manifest.imageShape(), manifest.numClasses());
    EvaluationImages test = EvaluationImages.of(read(manifest.shards(Split.TEST), layout, hadoopConf), Integer.MAX_VALUE);
    EvaluationImages calibration = EvaluationImages.of(
        read(firstShards(manifest.shards(Split.TRAIN), optimize.calibrationImages()), layout, hadoopConf),
        optimize.calibrationImages());
    int workers = EpochFitter.workers(jsc, config.train());

    JavaRDD<String> trainShards = EpochFitter.shardPaths(jsc, layout.prepared(), manifest, Split.TRAIN, workers);
    try (StagedOutput out = StagedOutput.begin(hadoopConf, layout.rootPath(), layout.optimized(), config.runId());
        TeacherShards teacherShards = new TeacherShards(spark, trainShards, layout.models(),
            new Path(scratch(out), "teacher-labelled-shards"))) {
      VariantContext context = new VariantContext(spark, config, hadoopConf, manifest, trained, input, calibration,
          new EpochFitter(jsc, config.train(), workers, manifest.shardSize()), teacherShards);
      VariantMeasurer measurer = new VariantMeasurer(test, manifest.numClasses(), config.infer().threadsPerTask(),
          optimize.latencyRuns(), optimize.throughputBatch(), optimize.throughputSeconds());
      List<VariantBuilder> builders = builders(optimize);
      List<VariantResult> results = new ArrayList<>();
      Map<VariantResult, String> sha256s = new HashMap<>();
      for (int i = 0; i < builders.size(); i++) {
        VariantBuilder builder = builders.get(i);
        long builderStart = System.nanoTime();
        for (Variant variant : builder.build(context)) {
          Path file = new Path(new Path(out.path(), VARIANTS_DIR), variant.fileName());
          String sha256 = write(hadoopConf, file, variant.content());
          Path committedFile = new Path(new Path(out.target(), VARIANTS_DIR), variant.fileName());
          VariantResult result = measurer.measure(variant, committedFile.toString());
          results.add(result);
          sha256s.put(result, sha256);
          LOG.info(String.format("variant %-28s %-11s %8.1f KB  accuracy %s  %8.0f images/s  p50 %.2f ms",
              variant.name(), variant.engine().label(), variant.content().length / 1024.0,
              result.hasAccuracy() ? String.format("%.4f", result.testAccuracy()) : "  -   ",
              result.imagesPerSecond(), result.latencyP50Millis()));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format("optimize %d/%d: %s done in %.0f s; %.0f s so far, about %.0f s left", i + 1,
            builders.size(), builder.description(), (System.nanoTime() - builderStart) / 1e9, elapsed,
            elapsed / (i + 1) * (builders.size() - i - 1)));
      }
      deleteScratch(hadoopConf, scratch(out));

      ServingSelector.Choice choice = new ServingSelector(config.infer().engine().label(), optimize.tolerancePoints())
          .choose(results);
      ServingDecision decision = decision(choice, trainedMetadata, input, sha256s.get(choice.chosen()));
      JsonFiles.write(hadoopConf, new Path(out.path(), ServingDecision.FILE), decision);
      write(hadoopConf, new Path(out.path(), PLOT), VariantsPlot.png(results));
      out.commit();
      ModelVariantsTable.write(spark, layout, config.runId(), results, choice);
      double seconds = (System.nanoTime() - start) / 1e9;
      MetricsTable.write(spark, layout, STAGE, config.runId(), List.of(
          Metric.of("variants", results.size()),
          Metric.of("serving_test_accuracy", decision.testAccuracy()),
          Metric.of("baseline_test_accuracy", decision.baselineAccuracy()),
          Metric.of("serving_images_per_s", decision.imagesPerSecond()),
          Metric.of("baseline_images_per_s", decision.baselineImagesPerSecond()),
          Metric.of("optimize_seconds", seconds)));
      LOG.info("Serving {} on {}: {}", decision.variant(), decision.engine(), decision.reason());
      choice.rejected().forEach(r -> LOG.info("Not serving {}", r));
      return new OptimizeResult(out.target().toString(), results, decision, seconds);
    }
  }

  private List<VariantBuilder> builders(OptimizeConfig optimize) {
    List<VariantBuilder> builders = new ArrayList<>(List.of(new BaselineVariants()));
    if (optimize.builds(VariantKind.FP16)) {
      builders.add(QuantizedVariants.halfPrecision(WeightPrecision.FP16));
    }
    if (optimize.builds(VariantKind.BF16)) {
      builders.add(QuantizedVariants.halfPrecision(WeightPrecision.BF16));
    }
    if (optimize.builds(VariantKind.INT8)) {
      builders.add(QuantizedVariants.int8());
    }
    if (optimize.builds(VariantKind.PRUNED) && !optimize.pruneSparsities().isEmpty()) {
      builders.add(new PrunedVariants());
    }
    if (optimize.builds(VariantKind.FILTER_PRUNED) && !optimize.filterFractions().isEmpty()) {
      builders.add(new FilterPrunedVariants());
    }
    if (optimize.builds(VariantKind.DISTILLED)) {
      builders.add(new DistilledVariants());
    }
    if (!optimize.architectures().isEmpty()) {
      builders.add(new ArchitectureVariants());
    }
    return builders;
  }

  private ServingDecision decision(ServingSelector.Choice choice, ModelMetadata trained, ModelInput input,
      String sha256) {
    VariantResult chosen = choice.chosen();
    return new ServingDecision(chosen.name(), chosen.engine(), chosen.file(), sha256,
        trained.version() + "-" + chosen.name(), chosen.testAccuracy(), choice.baseline().testAccuracy(),
        config.optimize().tolerancePoints(), chosen.imagesPerSecond(), choice.baseline().imagesPerSecond(),
        new int[] {input.channels(), input.height(), input.width()}, input.numClasses(), choice.reason(),
        choice.rejected());
  }

  /** Enough of the first shards to hold {@code images} examples. */
  private static List<ShardInfo> firstShards(List<ShardInfo> shards, int images) {
    List<ShardInfo> chosen = new ArrayList<>();
    long count = 0;
    for (ShardInfo shard : shards) {
      if (count >= images) {
        break;
      }
      chosen.add(shard);
      count += shard.examples();
    }
    return chosen;
  }

  private static List<DataSet> read(List<ShardInfo> shards, OutputLayout layout, Configuration conf) {
    return shards.stream().map(s -> ShardLoader.read(new Path(layout.prepared(), s.path()).toString(), conf)).toList();
  }

  /** Writes the bytes and returns their SHA-256. */
  private static String write(Configuration conf, Path file, byte[] content) {
    try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
      out.write(content);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (IOException e) {
      throw new OutputWriteException(file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Intermediate files of the builders, inside the staging output so that none outlives a failed run. */
  private static Path scratch(StagedOutput out) {
    return new Path(out.path(), SCRATCH);
  }

  private static void deleteScratch(Configuration conf, Path scratch) {
    try {
      FileSystem fs = scratch.getFileSystem(conf);
      fs.delete(scratch, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + scratch, e);
    }
  }
}
