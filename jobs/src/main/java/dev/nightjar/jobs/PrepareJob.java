package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(name = "nightjar-prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Split the IDX source into balanced partitions, decode and scale it on the executors, "
        + "and write minibatch shards, the examples table and a manifest under prepared/run_date=D.")
public final class PrepareJob extends StageJob {
  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new PrepareJob()).execute(args));
  }

  @Override
  protected String appName() {
    return "nightjar-prepare";
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.sourceFiles(config);
  }

  @Override
  protected void run(SparkSession spark, NightjarConfig config, SummaryTable summary) {
    StageSummaries.add(summary, Nightjar.prepare(spark, config).execute());
  }
}
