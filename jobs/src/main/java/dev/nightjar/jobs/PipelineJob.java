package dev.nightjar.jobs;

import dev.nightjar.Nightjar;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.infer.InferResult;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.jobs.cli.InputChecks;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.ResumeOption;
import dev.nightjar.jobs.cli.Sessions;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.jobs.cli.SummaryTable;
import dev.nightjar.jobs.report.NightlyReport;
import dev.nightjar.optimize.OptimizeResult;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.run.PipelineLock;
import dev.nightjar.run.PipelineRunner;
import dev.nightjar.run.PipelineRunner.Stage;
import dev.nightjar.run.RunLedger;
import dev.nightjar.train.TrainResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nightjar-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run prepare, train, optimize and infer for one run date in one Spark application, then print a "
        + "summary of every stage. Stages already done for the date with the same settings are skipped; "
        + "one pipeline at a time holds the output root's lock; failing stages are retried.")
public final class PipelineJob extends StageJob {
  @Mixin ResumeOption resume;

  @Option(names = "--force", paramLabel = "STAGE", description = "Rerun from this stage on (prepare, train, optimize or infer), even if done.")
  String force;

  public static void main(String[] args) {
    System.exit(JobRunner.commandLine(new PipelineJob()).execute(args));
  }

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
    InputChecks.sourceFiles(config);
  }

  @Override
  protected AutoCloseable hold(NightjarConfig config) {
    return PipelineLock.acquire(Sessions.hadoopConf(config), new OutputLayout(config.outputRoot(), config.runDate()).rootPath(),
        config.runId(), config.pipeline().lockExpiry());
  }

  @Override
  protected void run(SparkSession spark, NightjarConfig config, SummaryTable summary) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    PipelineRunner runner = new PipelineRunner(new RunLedger(spark, layout), config,
        config.pipeline().retries(), config.pipeline().retryBackoff());
    List<PipelineRunner.Outcome> outcomes = runner.run(List.of(
          new Stage("prepare", () -> {
            PrepareResult result = Nightjar.prepare(spark, config).execute();
            StageSummaries.add(summary, result);
            return Map.of("examples", (double) result.examples(), "quarantined", (double) result.quarantined(),
                "images_per_s", result.examplesPerSecond());
          }),
          new Stage("train", () -> {
            TrainResult result = Nightjar.train(spark, config).execute();
            StageSummaries.add(summary, result);
            return Map.of("test_accuracy", result.model().testAccuracy(), "train_images_per_s", result.imagesPerSecond(),
                "epochs", (double) result.epochs().size());
          }),
          new Stage("optimize", () -> {
            OptimizeResult result = Nightjar.optimize(spark, config).execute();
            StageSummaries.add(summary, result);
            return Map.of("variants", (double) result.variants().size(),
                "serving_test_accuracy", result.serving().testAccuracy(),
                "serving_images_per_s", result.serving().imagesPerSecond(),
                "baseline_images_per_s", result.serving().baselineImagesPerSecond());
          }),
          new Stage("infer", () -> {
            InferResult result = Nightjar.infer(spark, config).execute();
            StageSummaries.add(summary, result);
            return Map.of("rows", (double) result.rows(), "accuracy", result.accuracy(),
                "images_per_s", result.imagesPerSecond(), "partition_p95_s", result.partitionLatency().p95Seconds());
          })), Optional.ofNullable(force));
    outcomes.stream().filter(PipelineRunner.Outcome::skipped).forEach(o ->
        summary.skipped(o.stage(), "done by run " + o.record().runId() + " at " + o.record().end()));
    System.out.println("Report: " + new NightlyReport(spark, layout).write(config.runId()));
  }
}
