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
    name = "nightjar-optimize",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Build smaller and faster variants of the run's trained model (fp16, bf16, int8, pruned, "
            + "filter-pruned, distilled), measure each, select the serving model within the accuracy tolerance, "
            + "and write optimized/run_date=D and the model_variants table.")
public final class OptimizeJob extends StageJob {
  @Override
  protected String appName() {
    return "nightjar-" + Stage.OPTIMIZE.label();
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    InputChecks.trainedModel(config);
  }

  @Override
  protected void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary) {
    runStage(Stage.OPTIMIZE, spark, config, fence, summary);
  }
}
