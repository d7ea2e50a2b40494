package dev.nightjar.infer;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.EngineKind;
import dev.nightjar.config.InferConfig;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelDocuments;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelPaths;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.registry.RegisteredModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Finds the model the infer stage serves for a run date: the optimize stage's serving variant, or
 * the trained model. A serving variant that lost more accuracy than the tolerance is refused.
 */
public final class ServedModels {
  private ServedModels() {}

  /**
   * Why ONNX Runtime does not run on the GPU: its CUDA build and ND4J's need different CUDA stacks,
   * and a GPU executor has one (docs/kubernetes.md#one-cuda-stack-per-gpu-executor).
   */
  static final String NO_ONNX_RUNTIME_ON_GPU =
      ConfigKeys.INFER_ONNXRUNTIME_CUDA
          + " = true: ONNX Runtime's CUDA build needs CUDA 12 and cuDNN 9, and ND4J's CUDA backend"
          + " CUDA 11.6 and cuDNN 8, which cannot share a GPU executor; Nightjar's GPU build"
          + " trains on the GPU and serves ONNX models on the CPU: set it to false";

  public static ModelRef resolve(OutputLayout layout, InferConfig infer, Configuration hadoopConf) {
    if (infer.onnxRuntimeCuda()) {
      throw new ConfigException(NO_ONNX_RUNTIME_ON_GPU);
    }
    if (infer.model().registered()) {
      return registered(layout, infer, hadoopConf);
    }
    if (infer.model().equals(InferConfig.ServedModel.TRAINED)) {
      Path modelDir = PublishedOutputs.resolve(hadoopConf, layout, layout.models());
      ModelMetadata metadata = ModelStore.readMetadata(hadoopConf, modelDir);
      return new ModelRef(
          new Path(modelDir, ModelStore.MODEL_FILE).toString(),
          metadata.sha256(),
          metadata.version(),
          EngineKind.DL4J,
          metadata.inputShape(),
          metadata.classNames().size(),
          infer.threadsPerTask(),
          false);
    }
    Path decisionFile =
        PublishedOutputs.resolve(
            hadoopConf, layout, new Path(layout.optimized(), ServingDecision.FILE));
    if (!HadoopPaths.exists(decisionFile, hadoopConf)) {
      throw new InputException(
          decisionFile
              + " not found: run the optimize stage for "
              + layout.runDate()
              + " first, or serve the trained model with "
              + ConfigKeys.INFER_MODEL
              + " = trained and "
              + ConfigKeys.INFER_ENGINE
              + " = dl4j");
    }
    ServingDecision decision = ModelDocuments.readServing(hadoopConf, decisionFile);
    if (!decision.engine().equals(infer.engine().label())) {
      throw new ConfigException(
          ConfigKeys.INFER_ENGINE
              + " = "
              + infer.engine().label()
              + ", but the optimize stage of "
              + layout.runDate()
              + " selected a model for "
              + decision.engine()
              + ": rerun it (--force optimize)");
    }
    checkTolerance(decision, decisionFile);
    Path modelFile =
        ModelPaths.requireBelow(
            decision.file(),
            layout.rootPath(),
            infer.modelRoots(),
            hadoopConf,
            decisionFile.toString());
    return new ModelRef(
        modelFile.toString(),
        decision.sha256(),
        decision.version(),
        infer.engine(),
        decision.imageShape(),
        decision.numClasses(),
        infer.threadsPerTask(),
        infer.onnxRuntimeCuda());
  }

  /**
   * The registry's model that {@code infer.model} names (an alias or a version), whatever the run
   * date: its file is the registry's own copy, which must lie below the output root (or a folder of
   * {@code infer.model-roots}) as {@code serving.json}'s must, and its tolerance is checked again.
   */
  private static ModelRef registered(
      OutputLayout layout, InferConfig infer, Configuration hadoopConf) {
    ModelRegistry registry = new ModelRegistry(hadoopConf, layout.root());
    RegisteredModel model = registry.resolve(infer.model().name(), ConfigKeys.INFER_MODEL);
    Path entry = registry.entry(model.version());
    if (!model.engine().equals(infer.engine().label())) {
      throw new ConfigException(
          ConfigKeys.INFER_ENGINE
              + " = "
              + infer.engine().label()
              + ", but "
              + ConfigKeys.INFER_MODEL
              + " = "
              + infer.model()
              + " is version "
              + model.version()
              + ", a model for "
              + model.engine());
    }
    if (!model.withinTolerance()) {
      throw new IllegalStateException(
          String.format(
              "refusing to serve %s: %.2f points below its baseline, beyond its %.2f-point tolerance"
                  + " (%s)",
              model.version(), model.dropPoints(), model.tolerancePoints(), entry));
    }
    Path modelFile =
        ModelPaths.requireBelow(
            model.file(), layout.rootPath(), infer.modelRoots(), hadoopConf, entry.toString());
    return new ModelRef(
        modelFile.toString(),
        model.sha256(),
        model.version(),
        infer.engine(),
        model.imageShape(),
        model.numClasses(),
        infer.threadsPerTask(),
        infer.onnxRuntimeCuda());
  }

  /**
   * Refuses a serving decision whose model lost more accuracy than the tolerance the optimize stage
   * chose with, which {@code serving.json} records.
   *
   * @param decisionFile where the decision was read, for the message
   */
  public static void checkTolerance(ServingDecision decision, Path decisionFile) {
    double tolerance = decision.tolerancePoints();
    if (!decision.withinTolerance(tolerance)) {
      throw new IllegalStateException(
          String.format(
              "refusing to serve %s: its test accuracy %.2f%% is %.2f points "
                  + "below the baseline's %.2f%%, beyond the %.2f-point tolerance (%s)",
              decision.variant(),
              decision.testAccuracy() * 100,
              decision.dropPoints(),
              decision.baselineAccuracy() * 100,
              tolerance,
              decisionFile));
    }
  }
}
