package dev.nightjar.infer;

/**
 * What an inference run committed.
 *
 * @param accuracy over the rows that carry a true label; NaN when none does
 */
public record InferResult(String predictionsDir, String modelVersion, long rows, double accuracy,
    double seconds, double imagesPerSecond) {}
