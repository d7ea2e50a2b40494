package dev.nightjar.stage;

import dev.nightjar.io.CommitUnit;
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

  /**
   * Runs the stage and commits its outputs and its metrics as one unit: readers see all of this
   * run's outputs for the date, or all of the previous one's.
   */
  public final R execute() {
    try (CommitUnit unit =
        CommitUnit.begin(
            spark.sparkContext().hadoopConfiguration(),
            run.layout(),
            stage.label(),
            run.runId(),
            run.fence())) {
      R result = run(new StageContext(spark, run, stage, unit));
      MetricsTable.write(spark, unit, run.layout(), stage.label(), result.metrics());
      unit.commit();
      published(result);
      return result;
    }
  }

  /**
   * What a stage does once its outputs are published, e.g. register a model; nothing by default.
   */
  protected void published(R result) {}

  /**
   * The stage's own work: writes its outputs into {@link StageContext#stagedOutput} folders, which
   * {@link #execute} commits once it returns.
   */
  protected abstract R run(StageContext context);
}
