package dev.nightjar.jobs;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.ResumeOption;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import dev.nightjar.stage.Stage;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "nightjar-train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Train the configured network with DL4J parameter averaging over the prepared shards "
            + "and write the best epoch's model under models/run_date=D.")
public final class TrainJob extends StageJob {
  @Mixin ResumeOption resume;

  @Override
  protected List<String> jobOverrides() {
    return resume.overrides();
  }

  @Override
  protected String appName() {
    return "nightjar-" + Stage.TRAIN.label();
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.preparedData(config);
  }

  @Override
  protected void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary) {
    runStage(Stage.TRAIN, spark, config, fence, summary);
  }
}
