package dev.nightjar.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the nightly pipeline runs its stages.
 *
 * @param retries extra attempts at a failing stage (bad configuration or input is not retried)
 * @param retryBackoff the wait before the first retry; it doubles with each further one
 * @param lockExpiry after this long a lock whose holder cannot be checked is taken over
 */
public record PipelineConfig(int retries, Duration retryBackoff, Duration lockExpiry) implements Serializable {
  public PipelineConfig {
    Checks.atLeast(0, retries, ConfigKeys.PIPELINE_RETRIES);
  }
}
