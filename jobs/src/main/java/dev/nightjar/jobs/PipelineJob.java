package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.jobs.cli.ExitCodes;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.JobOptions;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.Sessions;
import dev.nightjar.jobs.cli.SummaryTable;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "nightjar-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run prepare, train and infer for one run date in one Spark application, "
        + "then print a summary of every stage.")
public final class PipelineJob implements Callable<Integer> {
  @Mixin JobOptions options;

  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new PipelineJob()).execute(args));
  }

  @Override
  public Integer call() {
    NightjarConfig config = options.loadConfig();
    InputChecks.sourceFiles(config);
    try (SparkSession spark = Sessions.forJob("nightjar-pipeline", options, config)) {
      SummaryTable summary = new SummaryTable();
      StageSummaries.add(summary, Nightjar.prepare(spark, config).execute());
      StageSummaries.add(summary, Nightjar.train(spark, config).execute());
      StageSummaries.add(summary, Nightjar.infer(spark, config).execute());
      System.out.println("Run " + config.runId() + " for " + config.runDate() + " finished.");
      summary.print(System.out);
      return ExitCodes.OK;
    }
  }
}
