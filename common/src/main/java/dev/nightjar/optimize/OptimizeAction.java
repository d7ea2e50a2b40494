package dev.nightjar.optimize;

import dev.nightjar.config.EngineKind;
import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.OptimizeConfig.VariantKind;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.InputScaling;
import dev.nightjar.data.PreparedData;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import dev.nightjar.optimize.measure.EvaluationImages;
import dev.nightjar.optimize.variant.ArchitectureVariants;
import dev.nightjar.optimize.variant.BaselineVariants;
import dev.nightjar.optimize.variant.DistilledVariants;
import dev.nightjar.optimize.variant.FilterPrunedVariants;
import dev.nightjar.optimize.variant.PrunedVariants;
import dev.nightjar.optimize.variant.QuantizedVariants;
import dev.nightjar.optimize.variant.TeacherShards;
import dev.nightjar.optimize.variant.Variant;
import dev.nightjar.optimize.variant.VariantBuilder;
import dev.nightjar.optimize.variant.VariantContext;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.stage.Eta;
import dev.nightjar.stage.RunContext;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageAction;
import dev.nightjar.stage.StageContext;
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

/**
 * The optimize stage: builds variants of the trained model (lower precision, pruned, distilled) and
 * compares the zoo's architectures; measures each on its engine in the driver (test accuracy, size,
 * parameters, MACs, latency, throughput); selects the serving model with {@link ServingSelector};
 * and commits the variants with {@code serving.json} and a plot as {@code optimized/run_date=D},
 * and the measurements as the {@code model_variants} table.
 */
public final class OptimizeAction extends StageAction<OptimizeResult> {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizeAction.class);
  public static final String VARIANTS_DIR = "variants";
  static final String PLOT = "model-variants.png";
  private static final String SCRATCH = "_scratch";

  private final OptimizeConfig optimize;
  private final TrainConfig fineTuning;
  private final ServingTarget target;
  private final PreparedData prepared;
  private final Path trainedDir;

  /**
   * @param fineTuning the training settings that pruned and distilled variants are trained with
   * @param target the engine the variants are measured on, as the infer stage will run them
   * @param trainedDir the train stage's committed model
   */
  public OptimizeAction(
      SparkSession spark,
      RunContext run,
      OptimizeConfig optimize,
      TrainConfig fineTuning,
      ServingTarget target,
      PreparedData prepared,
      Path trainedDir) {
    super(Stage.OPTIMIZE, spark, run);
    this.optimize = optimize;
    this.fineTuning = fineTuning;
    this.target = target;
    this.prepared = prepared;
    this.trainedDir = trainedDir;
  }

  @Override
  protected OptimizeResult run(StageContext context) {
    JavaSparkContext jsc = context.jsc();
    Configuration hadoopConf = context.hadoopConf();
    OutputLayout layout = context.layout();

    DataManifest manifest = prepared.manifest();
    if (manifest.count(Split.TEST) == 0) {
      throw new InputException(
          prepared.dir()
              + ": the optimize stage measures variants on the test split, which is empty");
    }
    ModelMetadata trainedMetadata = ModelStore.readMetadata(hadoopConf, trainedDir);
    MultiLayerNetwork trained = ModelStore.loadVerified(hadoopConf, trainedDir);
    ModelInput input = ModelInput.of(manifest.imageShape(), manifest.numClasses());
    EvaluationImages test =
        EvaluationImages.of(
            read(manifest.shards(Split.TEST), prepared.dir(), hadoopConf), Integer.MAX_VALUE);
    EvaluationImages calibration =
        EvaluationImages.of(
            read(
                firstShards(manifest.shards(Split.TRAIN), optimize.calibrationImages()),
                prepared.dir(),
                hadoopConf),
            optimize.calibrationImages());
    int workers = EpochFitter.workers(jsc, fineTuning);

    JavaRDD<String> trainShards =
        EpochFitter.shardPaths(jsc, prepared.dir(), manifest, Split.TRAIN, workers);
    StagedOutput out = context.stagedOutput(layout.optimized());
    TeacherShards teacherShards =
        new TeacherShards(
            spark, trainShards, trainedDir, new Path(scratch(out), "teacher-labelled-shards"));
    List<VariantBuilder> builders = builders(optimize);
    Eta eta =
        new Eta(builders.size(), builders.stream().mapToInt(b -> b.trainingEpochs(optimize)).sum());
    VariantContext variants =
        new VariantContext(
            spark,
            optimize,
            fineTuning,
            hadoopConf,
            manifest,
            trained,
            input,
            calibration,
            new EpochFitter(jsc, fineTuning, workers, manifest.shardSize()),
            teacherShards,
            eta);
    VariantMeasurer measurer =
        new VariantMeasurer(
            test,
            manifest.numClasses(),
            target.threadsPerTask(),
            optimize.latencyRuns(),
            optimize.throughputBatch(),
            optimize.throughputSeconds());
    List<VariantResult> results = new ArrayList<>();
    Map<VariantResult, String> sha256s = new HashMap<>();
    for (int i = 0; i < builders.size(); i++) {
      VariantBuilder builder = builders.get(i);
      long builderStart = System.nanoTime();
      double epochSecondsBefore = eta.epochSeconds();
      for (Variant variant : builder.build(variants)) {
        Path file = new Path(new Path(out.path(), VARIANTS_DIR), variant.fileName());
        String sha256 = write(hadoopConf, file, variant.content());
        VariantResult result = measurer.measure(variant, file.toString());
        results.add(result);
        sha256s.put(result, sha256);
        LOG.info(
            String.format(
                "variant %-28s %-11s %8.1f KB  accuracy %s  %8.0f images/s  p50 %.2f ms",
                variant.name(),
                variant.engine().label(),
                variant.content().length / 1024.0,
                result.hasAccuracy() ? String.format("%.4f", result.testAccuracy()) : "  -   ",
                result.imagesPerSecond(),
                result.latencyP50Millis()));
      }
      double builderSeconds = (System.nanoTime() - builderStart) / 1e9;
      eta.stepDone(builderSeconds - (eta.epochSeconds() - epochSecondsBefore));
      LOG.info(
          String.format(
              "optimize %d/%d: %s done in %.0f s; %.0f s so far, %s",
              i + 1,
              builders.size(),
              builder.description(),
              builderSeconds,
              context.elapsedSeconds(),
              eta.describe()));
    }
    deleteScratch(hadoopConf, scratch(out));

    ServingSelector.Choice choice =
        new ServingSelector(target.engine().label(), optimize.tolerancePoints()).choose(results);
    ServingDecision decision =
        decision(choice, trainedMetadata, input, sha256s.get(choice.chosen()));
    JsonFiles.write(hadoopConf, new Path(out.path(), ServingDecision.FILE), decision);
    write(
        hadoopConf,
        new Path(out.path(), PLOT),
        VariantsPlot.png(results, choice, optimize.tolerancePoints()));
    out.complete();
    ModelVariantsTable.write(spark, context.unit(), layout, results, choice);
    double seconds = context.elapsedSeconds();
    LOG.info("Serving {} on {}: {}", decision.variant(), decision.engine(), decision.reason());
    choice.rejected().forEach(r -> LOG.info("Not serving {}", r));
    return new OptimizeResult(out.path().toString(), results, decision, seconds);
  }

  @Override
  protected void published(OptimizeResult result) {
    new ModelRegistry(spark.sparkContext().hadoopConfiguration(), run.layout().root())
        .registerServing(run.layout(), run.runId());
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

  private ServingDecision decision(
      ServingSelector.Choice choice, ModelMetadata trained, ModelInput input, String sha256) {
    VariantResult chosen = choice.chosen();
    boolean onnx = chosen.engine().equals(EngineKind.ONNXRUNTIME.label());
    return new ServingDecision(
        chosen.name(),
        chosen.engine(),
        chosen.file(),
        sha256,
        trained.version() + "-" + chosen.name(),
        chosen.testAccuracy(),
        choice.baseline().testAccuracy(),
        optimize.tolerancePoints(),
        chosen.imagesPerSecond(),
        choice.baseline().imagesPerSecond(),
        new int[] {input.channels(), input.height(), input.width()},
        input.numClasses(),
        choice.reason(),
        choice.rejected(),
        trained.classNames(),
        onnx ? OnnxExporter.INPUT_NAME : null,
        onnx ? OnnxExporter.OUTPUT_NAME : null,
        InputScaling.unitRange());
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

  private static List<DataSet> read(List<ShardInfo> shards, Path preparedDir, Configuration conf) {
    return shards.stream()
        .map(s -> ShardLoader.read(new Path(preparedDir, s.path()).toString(), conf))
        .toList();
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

  /**
   * Intermediate files of the builders, inside the staging output so that none outlives a failed
   * run.
   */
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
