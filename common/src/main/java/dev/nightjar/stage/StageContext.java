package dev.nightjar.stage;

import dev.nightjar.io.CommitFence;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.spark.JobGroups;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** What one execution of a stage works with: the session, the run, and the clock since it began. */
public final class StageContext {
  private final SparkSession spark;
  private final RunContext run;
  private final Stage stage;
  private final CommitUnit unit;
  private final long startNanos = System.nanoTime();

  StageContext(SparkSession spark, RunContext run, Stage stage, CommitUnit unit) {
    this.spark = spark;
    this.run = run;
    this.stage = stage;
    this.unit = unit;
  }

  public SparkSession spark() {
    return spark;
  }

  public JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  public Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  public OutputLayout layout() {
    return run.layout();
  }

  public String runId() {
    return run.runId();
  }

  /**
   * What every commit of the run asks first: whether the run still holds the output root's lock.
   */
  public CommitFence fence() {
    return run.fence();
  }

  public Stage stage() {
    return stage;
  }

  /** Seconds since the stage began. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * A folder for the output {@code target}, published with the stage's other outputs once the stage
   * returns, if marked {@link StagedOutput#complete() complete}.
   */
  public StagedOutput stagedOutput(Path target) {
    return unit.stage(target);
  }

  /** The stage's commit unit, for writers of its tables. */
  public CommitUnit unit() {
    return unit;
  }

  /** Runs {@code body} as Spark jobs named after this stage and {@code step} in the UI and logs. */
  public <T> T job(String step, String description, Supplier<T> body) {
    return JobGroups.run(spark.sparkContext(), stage.label(), step, description, body);
  }
}
