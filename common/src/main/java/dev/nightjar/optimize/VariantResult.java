package dev.nightjar.optimize;

/**
 * A variant and what it measured. {@code testAccuracy} is NaN for untrained architectures.
 *
 * @param sizeBytes of the stored file
 * @param imagesPerSecond at the throughput batch size, in one JVM
 */
public record VariantResult(
    String name,
    String method,
    String precision,
    String engine,
    String file,
    long sizeBytes,
    long parameters,
    long macs,
    double testAccuracy,
    double latencyP50Millis,
    double latencyP95Millis,
    double imagesPerSecond,
    String note) {

  public boolean hasAccuracy() {
    return !Double.isNaN(testAccuracy);
  }
}
