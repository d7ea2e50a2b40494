package dev.nightjar.stage;

import dev.nightjar.metrics.MetricsTable;
import org.apache.spark.sql.SparkSession;

/**
 * One stage, ready to run: its settings and inputs are given when it is made. {@link #execute} does
 * what every stage does around its own work, which a subclass writes in {@link #run}.
 */
public abstract class StageAction<R extends StageResult> {
  private final Stage stage;
  protected final SparkSession spark;
  protected final RunContext run;

  protected StageAction(Stage stage, SparkSession spark, RunContext run) {
    this.stage = stage;
    this.spark = spark;
    this.run = run;
  }

  public final Stage stage() {
    return stage;
  }

  /** Runs the stage, commits its output and records its metrics. */
  public final R execute() {
    R result = run(new StageContext(spark, run, stage));
    MetricsTable.write(
        spark, run.layout(), stage.label(), run.runId(), run.fence(), result.metrics());
    return result;
  }

  /** The stage's own work; returns once its output is committed. */
  protected abstract R run(StageContext context);
}
