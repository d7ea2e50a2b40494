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

@Command(name = "nightjar-prepare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Split the IDX source into balanced partitions, decode and scale it on the executors, "
        + "and write minibatch shards, the examples table and a manifest under prepared/run_date=D.")
public final class PrepareJob implements Callable<Integer> {
  @Mixin JobOptions options;

  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new PrepareJob()).execute(args));
  }

  @Override
  public Integer call() {
    NightjarConfig config = options.loadConfig();
    InputChecks.sourceFiles(config);
    try (SparkSession spark = Sessions.forJob("nightjar-prepare", options, config)) {
      StageSummaries.add(new SummaryTable(), Nightjar.prepare(spark, config).execute()).print(System.out);
      return ExitCodes.OK;
    }
  }
}
