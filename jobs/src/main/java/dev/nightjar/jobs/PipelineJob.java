package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import org.apache.spark.sql.SparkSession;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "nightjar-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run prepare, train and infer for one run date in one Spark application, "
        + "then print a summary of every stage.")
public final class PipelineJob extends StageJob {
  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new PipelineJob()).execute(args));
  }

  @Option(names = "--resume", description = "Continue training from the run date's last checkpoint (train.resume=true).")
  boolean resume;

  @Override
  protected List<String> jobOverrides() {
    return resume ? List.of("train.resume=true") : List.of();
  }

  @Override
  protected String appName() {
    return "nightjar-pipeline";
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.sourceFiles(config);
  }

  @Override
  protected void run(SparkSession spark, NightjarConfig config, SummaryTable summary) {
    StageSummaries.add(summary, Nightjar.prepare(spark, config).execute());
    StageSummaries.add(summary, Nightjar.train(spark, config).execute());
    StageSummaries.add(summary, Nightjar.infer(spark, config).execute());
  }
}
