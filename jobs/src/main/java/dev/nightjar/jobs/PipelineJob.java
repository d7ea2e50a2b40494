package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.ResumeOption;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import dev.nightjar.jobs.report.NightlyReport;
import dev.nightjar.run.PipelineRunner;
import dev.nightjar.run.RunLedger;
import dev.nightjar.stage.Stage;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "nightjar-pipeline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Run the stages of pipeline.stages (by default every one: prepare, train, optimize, infer) for one "
            + "run date in one Spark application, then print a summary of each. Stages already done for the date with the same settings are skipped; "
            + "one pipeline at a time holds the output root's lock; failing stages are retried.")
public final class PipelineJob extends StageJob {
  @Mixin ResumeOption resume;

  @Option(
      names = "--force",
      paramLabel = "STAGE",
      description = "Rerun from this stage on, even if done.")
  String force;

  @Override
  protected List<String> jobOverrides() {
    return resume.overrides();
  }

  @Override
  protected String appName() {
    return "nightjar-pipeline";
  }

  @Override
  protected void checkInputs(NightjarConfig config) {
    Optional.ofNullable(force).ifPresent(name -> Stage.parse(name, "--force"));
    Set<Stage> stages = Stage.parseAll(config.pipeline().stages(), ConfigKeys.PIPELINE_STAGES);
    // The first stage's inputs: what the pipeline reads rather than makes.
    switch (stages.iterator().next()) {
      case PREPARE -> InputChecks.sourceFiles(config);
      case TRAIN -> InputChecks.preparedData(config);
      case OPTIMIZE -> InputChecks.trainedModel(config);
      case INFER -> InputChecks.servingModel(config);
    }
  }

  @Override
  protected void run(
      SparkSession spark, NightjarConfig config, CommitFence fence, SummaryTable summary) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    PipelineRunner runner =
        new PipelineRunner(
            new RunLedger(spark, layout, fence),
            config,
            config.pipeline().retries(),
            config.pipeline().retryBackoff());
    List<PipelineRunner.Step> steps = Nightjar.pipelineSteps(spark, config, fence);
    for (PipelineRunner.Outcome outcome :
        runner.run(steps, Optional.ofNullable(force).map(f -> Stage.parse(f, "--force")))) {
      outcome
          .result()
          .ifPresentOrElse(
              result -> summary.add(result.summary()),
              () ->
                  summary.skipped(
                      outcome.stage(),
                      "done by run " + outcome.record().runId() + " at " + outcome.record().end()));
    }
    System.out.println("Report: " + new NightlyReport(spark, layout, fence).write(config.runId()));
  }
}
