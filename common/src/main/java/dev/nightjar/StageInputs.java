package dev.nightjar;

import dev.nightjar.config.InferConfig;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.registry.RegisteredModel;
import dev.nightjar.stage.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What each stage reads of what the stages before it committed, by content: the prepared data's
 * manifest id, the trained model's SHA-256, the serving model's SHA-256. A stage's marker records
 * them, so a stage whose input was replaced since (by a stage's own job run alone) runs again. The
 * source data is not among them: its content is named by the settings.
 */
public final class StageInputs {
  public static final String PREPARED = "prepared";
  public static final String MODEL = "model";
  public static final String SERVING = "serving";

  /** The identity of an input that is not there. */
  static final String MISSING = "missing";

  private StageInputs() {}

  /** The identities of what {@code stage} reads, as they are under the output root now. */
  public static Map<String, String> of(Stage stage, Configuration conf, NightjarConfig config) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    InferConfig infer = config.infer();
    Map<String, String> inputs = new LinkedHashMap<>();
    switch (stage) {
      case PREPARE -> {}
      case TRAIN -> inputs.put(PREPARED, prepared(conf, layout));
      case OPTIMIZE -> {
        inputs.put(PREPARED, prepared(conf, layout));
        inputs.put(MODEL, trained(conf, layout));
      }
      case INFER -> {
        if (!infer.scoresNewData()) {
          inputs.put(PREPARED, prepared(conf, layout));
        }
        if (infer.model().registered()) {
          inputs.put(SERVING, registered(conf, config));
        } else if (infer.model().equals(InferConfig.ServedModel.TRAINED)) {
          inputs.put(MODEL, trained(conf, layout));
        } else {
          inputs.put(
              SERVING,
              identity(
                  conf,
                  PublishedOutputs.resolve(
                      conf, layout, new Path(layout.optimized(), ServingDecision.FILE)),
                  ServingDecision.class,
                  ServingDecision::sha256));
        }
      }
    }
    return inputs;
  }

  /** The digest of the registry's model that the alias or version names now, or MISSING. */
  private static String registered(Configuration conf, NightjarConfig config) {
    ModelRegistry registry = new ModelRegistry(conf, config.outputRoot());
    String name = config.infer().model().name();
    return registry
        .alias(name)
        .or(() -> Optional.of(name))
        .flatMap(registry::model)
        .map(RegisteredModel::sha256)
        .orElse(MISSING);
  }

  private static String prepared(Configuration conf, OutputLayout layout) {
    return identity(
        conf,
        PublishedOutputs.resolve(conf, layout, new Path(layout.prepared(), OutputLayout.MANIFEST)),
        DataManifest.class,
        DataManifest::id);
  }

  private static String trained(Configuration conf, OutputLayout layout) {
    return identity(
        conf,
        PublishedOutputs.resolve(conf, layout, new Path(layout.models(), ModelStore.METADATA_FILE)),
        ModelMetadata.class,
        ModelMetadata::sha256);
  }

  /**
   * The identity a document records, or {@link #MISSING}: the stage then runs, and says what it
   * lacks.
   */
  private static <T> String identity(
      Configuration conf, Path file, Class<T> type, Function<T, String> id) {
    if (!HadoopPaths.exists(file, conf)) {
      return MISSING;
    }
    return id.apply(JsonFiles.read(conf, file, type));
  }
}
