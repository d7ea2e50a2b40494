package dev.nightjar.jobs;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import dev.nightjar.stage.Stage;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

@Command(
    name = "nightjar-prepare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Split the source (IDX files, an image folder, a CSV or Parquet table) into balanced partitions, "
            + "decode, scale and augment it on the executors, and write minibatch shards, the examples table and a "
            + "manifest under prepared/run_date=D.")
public final class PrepareJob extends StageJob {
  @Override
  protected String appName() {
    return "nightjar-" + Stage.PREPARE.label();
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.sourceFiles(config);
  }

  @Override
  protected void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary) {
    runStage(Stage.PREPARE, spark, config, fence, summary);
  }
}
