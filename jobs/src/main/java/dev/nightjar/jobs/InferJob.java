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

@Command(name = "nightjar-infer", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score a split of the prepared examples with the run's model, one model per executor, "
        + "and write the predictions table partition predictions/run_date=D.")
public final class InferJob implements Callable<Integer> {
  @Mixin JobOptions options;

  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new InferJob()).execute(args));
  }

  @Override
  public Integer call() {
    NightjarConfig config = options.loadConfig();
    InputChecks.trainedModel(config);
    try (SparkSession spark = Sessions.forJob("nightjar-infer", options, config)) {
      StageSummaries.add(new SummaryTable(), Nightjar.infer(spark, config).execute()).print(System.out);
      return ExitCodes.OK;
    }
  }
}
