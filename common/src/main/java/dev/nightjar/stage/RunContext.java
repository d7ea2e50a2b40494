package dev.nightjar.stage;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.OutputLayout;

/**
 * The run a stage works for: where the run date's outputs go, the run's id, and the fence every
 * commit asks first (the job's lease on the output root's lock).
 */
public record RunContext(OutputLayout layout, String runId, CommitFence fence) {
  /** A run that holds no lock: a program using the stages directly. */
  public static RunContext of(NightjarConfig config) {
    return of(config, CommitFence.NONE);
  }

  public static RunContext of(NightjarConfig config, CommitFence fence) {
    return new RunContext(
        new OutputLayout(config.outputRoot(), config.runDate()), config.runId(), fence);
  }
}
