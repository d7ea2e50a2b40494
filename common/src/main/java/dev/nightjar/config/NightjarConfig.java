package dev.nightjar.config;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Map;

/**
 * The resolved configuration of one run. Built only by {@link ConfigLoader}; every stage receives
 * the records it needs from here and never reads a key itself.
 *
 * @param rendered the effective {@code nightjar} tree as JSON, recorded with every output
 * @param hash a short SHA-256 of the settings (run date and id left out), to compare runs
 */
public record NightjarConfig(
    String outputRoot,
    LocalDate runDate,
    String runId,
    DataConfig data,
    PrepareConfig prepare,
    TrainConfig train,
    OptimizeConfig optimize,
    InferConfig infer,
    PipelineConfig pipeline,
    Map<String, String> sparkSettings,
    String rendered,
    String hash)
    implements Serializable {

  public NightjarConfig {
    Checks.nonEmpty(outputRoot, ConfigKeys.OUTPUT_ROOT);
    Checks.nonEmpty(runId, ConfigKeys.RUN_ID);
    sparkSettings = Map.copyOf(sparkSettings);
  }
}
