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

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private int retries = 2;
    private Duration retryBackoff = Duration.ofSeconds(30);
    private Duration lockExpiry = Duration.ofHours(24);

    private Builder() {}

    public Builder retries(int value) {
      retries = value;
      return this;
    }

    public Builder retryBackoff(Duration value) {
      retryBackoff = value;
      return this;
    }

    public Builder lockExpiry(Duration value) {
      lockExpiry = value;
      return this;
    }

    public PipelineConfig build() {
      return new PipelineConfig(retries, retryBackoff, lockExpiry);
    }
  }
}
