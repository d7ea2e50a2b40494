package dev.nightjar.infer;

import dev.nightjar.metrics.Percentiles;
import java.util.List;

/** How long the inference tasks took, partition by partition. */
public record PartitionLatency(
    int partitions, double p50Seconds, double p95Seconds, double maxSeconds) {

  static PartitionLatency of(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return new PartitionLatency(0, 0, 0, 0);
    }
    double[] seconds = nanos.stream().mapToDouble(n -> n / 1e9).sorted().toArray();
    return new PartitionLatency(
        seconds.length,
        Percentiles.nearestRank(seconds, 0.5),
        Percentiles.nearestRank(seconds, 0.95),
        seconds[seconds.length - 1]);
  }
}
