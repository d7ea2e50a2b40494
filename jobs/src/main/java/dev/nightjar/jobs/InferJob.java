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
    name = "nightjar-infer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Score a split of the prepared examples, or the new data of infer.input, with the run's serving "
            + "model on the configured engine, one model per executor, and write the predictions table partition "
            + "predictions/run_date=D.")
public final class InferJob extends StageJob {
  @Override
  protected String appName() {
    return "nightjar-" + Stage.INFER.label();
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.servingModel(config);
  }

  @Override
  protected void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary) {
    runStage(Stage.INFER, spark, config, fence, summary);
  }
}
