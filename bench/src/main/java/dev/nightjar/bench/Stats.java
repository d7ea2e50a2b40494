package dev.nightjar.bench;

import java.util.Arrays;
import java.util.List;

/** Mean, standard deviation and median of repeated measurements. */
record Stats(double mean, double std, double median) {
  static Stats of(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
    double variance =
        Arrays.stream(sorted).map(v -> (v - mean) * (v - mean)).sum()
            / Math.max(1, sorted.length - 1);
    int n = sorted.length;
    double median =
        n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(mean, Math.sqrt(variance), median);
  }
}
