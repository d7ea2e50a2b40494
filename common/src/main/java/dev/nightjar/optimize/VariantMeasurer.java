package dev.nightjar.optimize;

import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.Engines;
import dev.nightjar.model.engine.InferenceEngine;
import dev.nightjar.optimize.measure.EngineMeasurements;
import dev.nightjar.optimize.measure.EvaluationImages;
import dev.nightjar.optimize.variant.Variant;

/**
 * Measures a variant in the driver on its engine: test accuracy (trained variants only), latency at
 * batch 1 and throughput at the configured batch, with the threads one inference task uses.
 */
final class VariantMeasurer {
  private final EvaluationImages test;
  private final int numClasses;
  private final int threads;
  private final int latencyRuns;
  private final int throughputBatch;
  private final double throughputSeconds;

  VariantMeasurer(
      EvaluationImages test,
      int numClasses,
      int threads,
      int latencyRuns,
      int throughputBatch,
      double throughputSeconds) {
    this.test = test;
    this.numClasses = numClasses;
    this.threads = threads;
    this.latencyRuns = latencyRuns;
    this.throughputBatch = throughputBatch;
    this.throughputSeconds = throughputSeconds;
  }

  VariantResult measure(Variant variant, String file) {
    try (EnginePool pool =
        Engines.open(
            variant.engine(), variant.content(), variant.fileName(), test.imageShape(), threads)) {
      InferenceEngine engine = pool.borrow();
      double accuracy =
          variant.trained()
              ? EngineMeasurements.accuracy(engine, test, throughputBatch)
              : Double.NaN;
      EngineMeasurements.Latency latency = EngineMeasurements.latency(engine, test, latencyRuns);
      double throughput =
          EngineMeasurements.throughput(engine, test, throughputBatch, throughputSeconds);
      pool.release(engine);
      return new VariantResult(
          variant.name(),
          variant.method(),
          variant.precision(),
          variant.engine().label(),
          file,
          variant.content().length,
          variant.cost().parameters(),
          variant.cost().macs(),
          accuracy,
          latency.p50Millis(),
          latency.p95Millis(),
          throughput,
          variant.note());
    }
  }
}
