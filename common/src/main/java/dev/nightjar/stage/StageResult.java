package dev.nightjar.stage;

import dev.nightjar.metrics.Metric;
import java.util.List;

/** What a stage committed, reported the same way by every stage. */
public interface StageResult {
  Stage stage();

  /** The figures of the {@code metrics} table and of the run's record in the {@code runs} table. */
  List<Metric> metrics();

  /** The line of the job's closing summary. */
  SummaryRow summary();
}
