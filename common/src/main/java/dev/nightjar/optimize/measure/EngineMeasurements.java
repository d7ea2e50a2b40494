package dev.nightjar.optimize.measure;

import dev.nightjar.metrics.Percentiles;
import dev.nightjar.model.engine.InferenceEngine;
import java.util.Arrays;

/**
 * Measures an engine in this JVM, with no Spark in the way: accuracy on labelled images, latency of
 * single images and throughput at a fixed batch size.
 */
public final class EngineMeasurements {
  private static final int THROUGHPUT_ROUNDS = 3;

  private EngineMeasurements() {}

  /** The share of images whose most probable class is their label. */
  public static double accuracy(InferenceEngine engine, EvaluationImages images, int batchSize) {
    int correct = 0;
    int classes = engine.numClasses();
    for (int from = 0; from < images.count(); from += batchSize) {
      int n = Math.min(batchSize, images.count() - from);
      float[] probabilities = engine.predict(images.batch(from, n), n);
      for (int i = 0; i < n; i++) {
        if (argMax(probabilities, i * classes, classes) == images.labels()[from + i]) {
          correct++;
        }
      }
    }
    return (double) correct / images.count();
  }

  /** Median and 95th percentile of {@code runs} single-image predictions, after a warm-up. */
  public static Latency latency(InferenceEngine engine, EvaluationImages images, int runs) {
    float[][] singles = new float[Math.min(runs, images.count())][];
    for (int i = 0; i < singles.length; i++) {
      singles[i] = images.batch(i, 1);
    }
    for (int i = 0; i < Math.min(20, runs); i++) {
      engine.predict(singles[i % singles.length], 1);
    }
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      engine.predict(singles[i % singles.length], 1);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return new Latency(Percentiles.nearestRank(millis, 0.5), Percentiles.nearestRank(millis, 0.95));
  }

  /**
   * Images per second at {@code batchSize}: the median of a few rounds, each running whole batches
   * for at least {@code roundSeconds}.
   */
  public static double throughput(
      InferenceEngine engine, EvaluationImages images, int batchSize, double roundSeconds) {
    int n = Math.min(batchSize, images.count());
    float[] batch = images.batch(0, n);
    engine.predict(batch, n);
    double[] rates = new double[THROUGHPUT_ROUNDS];
    for (int round = 0; round < THROUGHPUT_ROUNDS; round++) {
      long images0 = 0;
      long start = System.nanoTime();
      double seconds;
      do {
        engine.predict(batch, n);
        images0 += n;
        seconds = (System.nanoTime() - start) / 1e9;
      } while (seconds < roundSeconds);
      rates[round] = images0 / seconds;
    }
    Arrays.sort(rates);
    return rates[THROUGHPUT_ROUNDS / 2];
  }

  static int argMax(float[] values, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  /** Single-image latency, in milliseconds. */
  public record Latency(double p50Millis, double p95Millis) {}
}
