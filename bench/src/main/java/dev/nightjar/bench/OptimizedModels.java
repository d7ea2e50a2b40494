package dev.nightjar.bench;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.optimize.OptimizeAction;
import dev.nightjar.optimize.OptimizeResult;
import dev.nightjar.optimize.VariantResult;
import dev.nightjar.optimize.variant.Variant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the inference benchmark compares: the serving variant and the fp32 baseline's ONNX and
 * DL4J files. Built by running prepare, train and optimize, each unless the output root already
 * holds its output from an earlier benchmark, so that measuring again (or optimizing again, once
 * {@code optimized/} is deleted) does not mean training again.
 */
record OptimizedModels(ServingDecision serving, String fp32Onnx, String fp32Dl4j) {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizedModels.class);

  static OptimizedModels reuseOrBuild(SparkSession spark, NightjarConfig config) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    Path optimizedDir = PublishedOutputs.resolve(hadoopConf, layout, layout.optimized());
    Path decisionFile = new Path(optimizedDir, ServingDecision.FILE);
    if (HadoopPaths.exists(decisionFile, hadoopConf)) {
      LOG.info("Reusing the models optimized earlier in {}", optimizedDir);
      Path variants = new Path(optimizedDir, OptimizeAction.VARIANTS_DIR);
      return new OptimizedModels(
          JsonFiles.read(hadoopConf, decisionFile, ServingDecision.class),
          new Path(variants, Variant.BASELINE + ".onnx").toString(),
          new Path(variants, Variant.BASELINE + ".zip").toString());
    }
    Path prepared = PublishedOutputs.resolve(hadoopConf, layout, layout.prepared());
    if (!HadoopPaths.exists(new Path(prepared, OutputLayout.MANIFEST), hadoopConf)) {
      Nightjar.prepare(spark, config).execute();
    }
    Path models = PublishedOutputs.resolve(hadoopConf, layout, layout.models());
    if (!HadoopPaths.exists(new Path(models, ModelStore.MODEL_FILE), hadoopConf)) {
      Nightjar.train(spark, config).execute();
    } else {
      LOG.info("Reusing the model trained earlier in {}", models);
    }
    OptimizeResult optimized = Nightjar.optimize(spark, config).execute();
    return new OptimizedModels(
        optimized.serving(), fp32(optimized, "onnxruntime").file(), fp32(optimized, "dl4j").file());
  }

  private static VariantResult fp32(OptimizeResult optimized, String engine) {
    return optimized.variants().stream()
        .filter(v -> v.name().equals(Variant.BASELINE) && v.engine().equals(engine))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("the optimize stage measured no fp32 on " + engine));
  }
}
