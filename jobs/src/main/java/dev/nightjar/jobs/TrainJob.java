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

@Command(name = "nightjar-train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train the configured network with DL4J parameter averaging over the prepared shards "
        + "and write the best epoch's model under models/run_date=D.")
public final class TrainJob implements Callable<Integer> {
  @Mixin JobOptions options;

  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new TrainJob()).execute(args));
  }

  @Override
  public Integer call() {
    NightjarConfig config = options.loadConfig();
    InputChecks.preparedData(config);
    try (SparkSession spark = Sessions.forJob("nightjar-train", options, config)) {
      StageSummaries.add(new SummaryTable(), Nightjar.train(spark, config).execute()).print(System.out);
      return ExitCodes.OK;
    }
  }
}
