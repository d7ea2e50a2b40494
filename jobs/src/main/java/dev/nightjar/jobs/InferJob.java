package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "nightjar-infer", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score a split of the prepared examples with the run's serving model on the configured engine, "
        + "one model per executor, and write the predictions table partition predictions/run_date=D.")
public final class InferJob extends StageJob {
  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new InferJob()).execute(args));
  }

  @Override
  protected String appName() {
    return "nightjar-infer";
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.servingModel(config);
  }

  @Override
  protected void run(SparkSession spark, NightjarConfig config, SummaryTable summary) {
    StageSummaries.add(summary, Nightjar.infer(spark, config).execute());
  }
}
