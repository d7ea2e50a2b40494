package dev.nightjar.infer;

/**
 * What an inference run committed.
 *
 * @param accuracy over the rows that carry a true label; NaN when none does
 * @param partitionLatency how long the tasks took, partition by partition
 */
public record InferResult(String predictionsDir, String modelVersion, String engine, long rows, double accuracy,
    double seconds, double imagesPerSecond, PartitionLatency partitionLatency) {}
