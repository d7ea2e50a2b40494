package dev.nightjar.stage;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.OutputLayout;
import java.io.Serializable;

/** The run a stage works for: where the run date's outputs go, and the run's id. */
public record RunContext(OutputLayout layout, String runId) implements Serializable {
  public static RunContext of(NightjarConfig config) {
    return new RunContext(new OutputLayout(config.outputRoot(), config.runDate()), config.runId());
  }
}
