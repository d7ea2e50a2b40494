package dev.nightjar.jobs.cli;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.run.Lease;
import dev.nightjar.run.PipelineLock;
import dev.nightjar.spark.Nd4jBackend;
import dev.nightjar.stage.Stage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/**
 * The shape every job shares: load and validate the config, check the inputs before Spark starts,
 * take the output root's lock, run in a session whose every commit asks the lock's lease first,
 * print the summary. A job only says what differs.
 */
public abstract class StageJob implements Callable<Integer> {
  /** How long a job may take to fail by itself once its Spark application has ended under it. */
  private static final Duration APPLICATION_LOSS_GRACE = Duration.ofSeconds(30);

  @Mixin protected JobOptions options;

  /** The Spark application name, e.g. {@code nightjar-train}. */
  protected abstract String appName();

  /**
   * Runs one stage's action, its commits asking {@code fence} first, and adds its row to the
   * summary.
   */
  protected static void runStage(
      Stage stage,
      SparkSession spark,
      NightjarConfig config,
      CommitFence fence,
      SummaryTable summary) {
    summary.add(Nightjar.action(stage, spark, config, fence).execute().summary());
  }

  /** Fails with a ConfigException naming the path if an input of the stage is missing. */
  protected abstract void checkInputs(NightjarConfig config);

  /**
   * Settings implied by the job's own options, e.g. {@code train.resume=true} for {@code --resume}.
   */
  protected List<String> jobOverrides() {
    return List.of();
  }

  /**
   * Runs the stage (or stages) and adds a row per stage to the summary.
   *
   * @param fence the job's lease on the output root's lock, which every commit asks first
   */
  protected abstract void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary);

  @Override
  public final Integer call() throws Exception {
    Nd4jBackend.configure();
    NightjarConfig config = options.loadConfig(jobOverrides());
    checkInputs(config);
    SummaryTable summary = new SummaryTable();
    // Every job, not only the pipeline: a stage job replacing a partition under a running pipeline
    // would mix two runs' outputs.
    try (Lease lease = PipelineLock.acquire(Sessions.hadoopConf(config), config);
        SparkSession spark = Sessions.forJob(appName(), options, config);
        ApplicationLossGuard guard =
            ApplicationLossGuard.install(
                spark.sparkContext(),
                APPLICATION_LOSS_GRACE,
                () -> exitOnLostApplication(System.err))) {
      run(spark, config, lease, summary);
    }
    System.out.println("Run " + config.runId() + " for " + config.runDate() + " finished.");
    summary.print(System.out);
    return ExitCodes.OK;
  }

  /**
   * Halts rather than exits: the shutdown hooks would wait on the same Spark internals the job is
   * stuck in.
   */
  private void exitOnLostApplication(PrintStream err) {
    err.println(
        appName()
            + ": failed: the Spark application ended while the job was running "
            + "(the log above says why, e.g. the master refused the driver)");
    err.flush();
    Runtime.getRuntime().halt(ExitCodes.FAILURE);
  }
}
