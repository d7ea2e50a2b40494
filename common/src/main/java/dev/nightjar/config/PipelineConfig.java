package dev.nightjar.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How the nightly pipeline runs its stages, and how every job holds the output root's lock.
 *
 * @param retries extra attempts at a failing stage (bad configuration or input is not retried)
 * @param retryBackoff the wait before the first retry; it doubles with each further one
 * @param lockExpiry a lock whose lease was not renewed for this long is taken over
 * @param lockRenewal how often the holder renews its lease; below the expiry
 * @param lockUri the folder that holds the lock; empty: the output root's {@code _lock}
 * @param versionGrace how long a date's replaced outputs stay on disk for readers that resolved
 *     them before the commit that replaced them
 * @param stages the stages the pipeline job runs, by name, e.g. {@code [infer]} to score new data
 *     with a registered model and train nothing
 */
public record PipelineConfig(
    int retries,
    Duration retryBackoff,
    Duration lockExpiry,
    Duration lockRenewal,
    String lockUri,
    Duration versionGrace,
    List<String> stages)
    implements Serializable {
  public PipelineConfig {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw ConfigException.badValue(ConfigKeys.PIPELINE_STAGES, stages, "name at least one stage");
    }
    Checks.atLeast(0, retries, ConfigKeys.PIPELINE_RETRIES);
    if (versionGrace.isNegative()) {
      throw ConfigException.badValue(
          ConfigKeys.PIPELINE_VERSION_GRACE, versionGrace, "must not be negative");
    }
    if (lockRenewal.isNegative() || lockRenewal.isZero()) {
      throw ConfigException.badValue(
          ConfigKeys.PIPELINE_LOCK_RENEWAL, lockRenewal, "must be greater than 0");
    }
    // A holder must renew several times within the expiry, or a pause of one renewal loses the
    // lock.
    if (lockRenewal.compareTo(lockExpiry) >= 0) {
      throw ConfigException.badValue(
          ConfigKeys.PIPELINE_LOCK_RENEWAL,
          lockRenewal,
          "must be below " + ConfigKeys.PIPELINE_LOCK_EXPIRY + " (" + lockExpiry + ")");
    }
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private int retries = 2;
    private Duration retryBackoff = Duration.ofSeconds(30);
    private Duration lockExpiry = Duration.ofMinutes(10);
    private Duration lockRenewal = Duration.ofSeconds(30);
    private String lockUri = "";
    private Duration versionGrace = Duration.ofHours(1);
    private List<String> stages = List.of("prepare", "train", "optimize", "infer");

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

    public Builder lockRenewal(Duration value) {
      lockRenewal = value;
      return this;
    }

    public Builder lockUri(String value) {
      lockUri = value;
      return this;
    }

    public Builder versionGrace(Duration value) {
      versionGrace = value;
      return this;
    }

    public Builder stages(List<String> value) {
      stages = value;
      return this;
    }

    public PipelineConfig build() {
      return new PipelineConfig(
          retries, retryBackoff, lockExpiry, lockRenewal, lockUri, versionGrace, stages);
    }
  }
}
