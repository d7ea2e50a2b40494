package dev.nightjar.jobs;

import dev.nightjar.infer.InferResult;
import dev.nightjar.optimize.OptimizeResult;
import dev.nightjar.jobs.cli.SummaryTable;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.train.TrainResult;

/** Adds each stage's result to the summary table, so every job reports a stage the same way. */
final class StageSummaries {
  private StageSummaries() {}

  static SummaryTable add(SummaryTable table, PrepareResult result) {
    return table.add("prepare", result.seconds(), result.examplesPerSecond(), Double.NaN, result.preparedDir());
  }

  static SummaryTable add(SummaryTable table, TrainResult result) {
    return table.add("train", result.seconds(), result.imagesPerSecond(), result.model().testAccuracy(), result.modelDir());
  }

  static SummaryTable add(SummaryTable table, OptimizeResult result) {
    return table.add("optimize", result.seconds(), result.serving().imagesPerSecond(), result.serving().testAccuracy(),
        result.optimizedDir() + " (serving " + result.serving().variant() + ")");
  }

  static SummaryTable add(SummaryTable table, InferResult result) {
    return table.add("infer", result.seconds(), result.imagesPerSecond(), result.accuracy(), result.predictionsDir());
  }
}
