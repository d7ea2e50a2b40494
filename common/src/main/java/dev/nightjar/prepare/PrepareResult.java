package dev.nightjar.prepare;

import dev.nightjar.data.DataManifest;

/**
 * What a prepare run committed.
 *
 * @param preparedDir the committed folder holding shards, examples and the manifest
 * @param quarantined records that went to the quarantine table instead
 */
public record PrepareResult(String preparedDir, DataManifest manifest, long quarantined, double seconds) {
  public long examples() {
    return manifest.counts().values().stream().mapToLong(Long::longValue).sum();
  }

  public double examplesPerSecond() {
    return examples() / Math.max(seconds, 1e-9);
  }
}
