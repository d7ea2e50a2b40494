package dev.nightjar.ml;

import dev.nightjar.config.EngineKind;
import dev.nightjar.infer.ServedModels;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.InputException;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelDocuments;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.model.engine.Engines;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds the model file of a {@link NightjarModel} in the stages' outputs, and copies it into a
 * saved model.
 */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * The optimize stage's serving model, refused, as the infer stage refuses it, beyond its accuracy
   * tolerance.
   */
  static ModelFile fromServing(Configuration conf, String optimizedDir) {
    Path decisionFile =
        new Path(
            PublishedOutputs.resolveOutput(conf, new Path(optimizedDir)), ServingDecision.FILE);
    if (!HadoopPaths.exists(decisionFile, conf)) {
      throw new InputException(
          decisionFile
              + " not found: give the optimize stage's output of one run date, "
              + "optimized/run_date=YYYY-MM-DD");
    }
    ServingDecision decision = ModelDocuments.readServing(conf, decisionFile);
    ServedModels.checkTolerance(decision, decisionFile);
    return new ModelFile(
        qualified(conf, decision.file()),
        decision.sha256(),
        decision.version(),
        EngineKind.parse(decision.engine(), decisionFile + " engine"),
        decision.imageShape(),
        decision.numClasses());
  }

  /** The train stage's model as it is, on DL4J. */
  static ModelFile fromTrained(Configuration conf, String modelsDirUri) {
    Path modelsDir = PublishedOutputs.resolveOutput(conf, new Path(modelsDirUri));
    ModelMetadata metadata = ModelStore.readMetadata(conf, modelsDir);
    return new ModelFile(
        qualified(conf, new Path(modelsDir, ModelStore.MODEL_FILE).toString()),
        metadata.sha256(),
        metadata.version(),
        EngineKind.DL4J,
        metadata.inputShape(),
        metadata.classNames().size());
  }

  /**
   * Any model file: ONNX ({@code .onnx}) on ONNX Runtime, a DL4J zip ({@code .zip}) or a pruned
   * network's sparse file on DL4J. It is read once here for its SHA-256; its version is its name
   * and the start of that hash.
   */
  static ModelFile fromFile(Configuration conf, String file, int[] imageShape, int numClasses) {
    if (imageShape.length != 3 || imageShape[0] < 1 || imageShape[1] < 1 || imageShape[2] < 1) {
      throw new IllegalArgumentException(
          "imageShape must be {channels, height, width}, each at least 1");
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be at least 2, not " + numClasses);
    }
    String qualified = qualified(conf, file);
    String name = new Path(qualified).getName();
    EngineKind engine = engineOf(name);
    String sha256 = ModelDigest.sha256(conf, new Path(qualified));
    return new ModelFile(
        qualified,
        sha256,
        name + "@" + sha256.substring(0, 12),
        engine,
        imageShape.clone(),
        numClasses);
  }

  /**
   * Copies the model's file into {@code dir}, checking on the way that it still is the file its
   * hash names, and returns the description with the copy's name.
   */
  static ModelFile copyInto(Configuration conf, ModelFile model, Path dir) {
    Path source = new Path(model.file());
    Path target = new Path(dir, source.getName());
    ModelDigest.copyVerified(conf, source, target, model.sha256());
    return model.withFile(target.getName());
  }

  private static EngineKind engineOf(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".onnx")) {
      return EngineKind.ONNXRUNTIME;
    }
    if (lower.endsWith(".zip") || lower.endsWith(Engines.SPARSE_EXTENSION)) {
      return EngineKind.DL4J;
    }
    throw new IllegalArgumentException(
        name
            + ": expected an ONNX model (.onnx), a DL4J model (.zip) or a sparse "
            + "DL4J model ("
            + Engines.SPARSE_EXTENSION
            + ")");
  }

  /** A URI every executor resolves alike, whatever the driver's working folder. */
  static String qualified(Configuration conf, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(conf);
      return fs.makeQualified(path).toString();
    } catch (IOException e) {
      throw new InputException(file + ": cannot resolve: " + e.getMessage(), e);
    }
  }
}
