package dev.nightjar.metrics;

/** Percentiles of measured values, by the nearest-rank method. */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The value at quantile {@code q} (0 to 1) of {@code sorted}, which must be sorted and non-empty.
   */
  public static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
