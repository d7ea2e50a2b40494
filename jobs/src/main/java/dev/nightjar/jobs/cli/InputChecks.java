package dev.nightjar.jobs.cli;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.InferConfig;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.infer.NewData;
import dev.nightjar.infer.ScoringInput;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.source.ExampleSources;
import dev.nightjar.stage.Stage;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Checks, before Spark starts, that a stage's inputs exist; a missing one fails naming its path.
 */
public final class InputChecks {
  private InputChecks() {}

  /** Checks the source without Spark: missing or unlistable inputs fail here. */
  public static void sourceFiles(NightjarConfig config) {
    ExampleSources.of(config.data(), config.prepare()).checkInputs(Sessions.hadoopConf(config));
  }

  public static void preparedData(NightjarConfig config) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    require(
        config, new Path(layout.prepared(), OutputLayout.MANIFEST), "prepared data", Stage.PREPARE);
  }

  public static void trainedModel(NightjarConfig config) {
    preparedData(config);
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    require(
        config, new Path(layout.models(), ModelStore.METADATA_FILE), "trained model", Stage.TRAIN);
  }

  /**
   * The model the infer stage serves: the optimize stage's choice, the trained model itself, or a
   * registry alias or version.
   */
  public static void servingModel(NightjarConfig config) {
    if (config.infer().scoresNewData()) {
      ScoringInput.checkInputs(
          new NewData(config.data(), config.prepare(), config.infer()),
          Sessions.hadoopConf(config));
    } else {
      preparedData(config);
    }
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    if (config.infer().model().registered()) {
      // Names an alias or version the registry holds, or fails listing what it holds.
      new ModelRegistry(Sessions.hadoopConf(config), config.outputRoot())
          .resolve(config.infer().model().name(), ConfigKeys.INFER_MODEL);
      return;
    }
    if (config.infer().model().equals(InferConfig.ServedModel.TRAINED)) {
      require(
          config,
          new Path(layout.models(), ModelStore.METADATA_FILE),
          "trained model",
          Stage.TRAIN);
      return;
    }
    require(
        config,
        new Path(layout.optimized(), ServingDecision.FILE),
        "serving model",
        Stage.OPTIMIZE);
  }

  private static void require(NightjarConfig config, Path logical, String what, Stage stage) {
    Configuration conf = Sessions.hadoopConf(config);
    Path path = PublishedOutputs.resolve(conf, new Path(config.outputRoot()), logical);
    try {
      if (!path.getFileSystem(conf).exists(path)) {
        throw new ConfigException(
            "no "
                + what
                + " for "
                + ConfigKeys.RUN_DATE
                + "="
                + config.runDate()
                + ": "
                + path
                + " not found; run the "
                + stage
                + " stage first");
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
