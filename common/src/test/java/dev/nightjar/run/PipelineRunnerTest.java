package dev.nightjar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.PreparedData;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.metrics.Metric;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import dev.nightjar.stage.SummaryRow;
import dev.nightjar.testing.FlakyFileSystem;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkTestSession.class)
class PipelineRunnerTest {
  @TempDir Path root;
  private final List<String> ran = new ArrayList<>();

  private NightjarConfig config(String runId, String... extra) {
    List<String> overrides =
        new ArrayList<>(
            List.of("output-root=" + root.toUri(), "run-date=2026-03-01", "run-id=" + runId));
    overrides.addAll(List.of(extra));
    return ConfigLoader.fromOverrides(overrides.toArray(String[]::new));
  }

  private PipelineRunner runner(SparkSession spark, NightjarConfig config) {
    return new PipelineRunner(
        new RunLedger(
            spark, new OutputLayout(config.outputRoot(), config.runDate()), CommitFence.NONE),
        config,
        2,
        Duration.ofMillis(10));
  }

  private PipelineRunner.Step step(Stage stage) {
    return new PipelineRunner.Step(
        stage,
        () -> {
          ran.add(stage.label());
          return new Done(stage);
        });
  }

  private List<PipelineRunner.Step> stages() {
    return List.of(step(Stage.PREPARE), step(Stage.TRAIN), step(Stage.INFER));
  }

  /** A stage result with one figure, which the runs table records. */
  private record Done(Stage stage) implements StageResult {
    @Override
    public List<Metric> metrics() {
      return List.of(Metric.of("value", 1.0));
    }

    @Override
    public SummaryRow summary() {
      return new SummaryRow(stage, 0, 0, Double.NaN, "");
    }
  }

  @Test
  void aRerunSkipsDoneStagesAndForceRerunsFromAStageOn(SparkSession spark) {
    runner(spark, config("night-1")).run(stages(), Optional.empty());
    assertThat(ran).containsExactly("prepare", "train", "infer");

    ran.clear();
    List<PipelineRunner.Outcome> second =
        runner(spark, config("night-1b")).run(stages(), Optional.empty());
    assertThat(ran).isEmpty();
    assertThat(second).allMatch(PipelineRunner.Outcome::skipped);

    runner(spark, config("night-1c")).run(stages(), Optional.of(Stage.TRAIN));
    assertThat(ran).containsExactly("train", "infer");

    ran.clear();
    runner(spark, config("night-1d", "train.epochs=7")).run(stages(), Optional.empty());
    assertThat(ran)
        .as("changed settings redo everything")
        .containsExactly("prepare", "train", "infer");

    List<Row> runs = Published.table(spark, root, "runs").orderBy("stage").collectAsList();
    assertThat(runs).hasSize(3);
    assertThat(runs)
        .allMatch(
            r ->
                r.getString(r.fieldIndex("status")).equals("ok")
                    && r.getString(r.fieldIndex("run_id")).equals("night-1d")
                    && !r.getString(r.fieldIndex("git_revision")).isEmpty());
  }

  @Test
  void aStageWhoseInputChangedRunsAgainAndSoDoesEveryStageAfterIt(SparkSession spark) {
    java.util.Map<Stage, String> model =
        new java.util.HashMap<>(
            java.util.Map.of(Stage.TRAIN, "prepared-1", Stage.INFER, "model-a"));
    List<PipelineRunner.Step> steps =
        stages().stream()
            .map(
                s ->
                    new PipelineRunner.Step(
                        s.stage(),
                        () ->
                            model.containsKey(s.stage())
                                ? java.util.Map.of("input", model.get(s.stage()))
                                : java.util.Map.of(),
                        s.body()))
            .toList();
    runner(spark, config("night-1")).run(steps, Optional.empty());
    ran.clear();
    runner(spark, config("night-2")).run(steps, Optional.empty());
    assertThat(ran).isEmpty();

    // The model replaced by a stage's own job: infer, which reads it, runs again.
    model.put(Stage.INFER, "model-b");
    runner(spark, config("night-3")).run(steps, Optional.empty());
    assertThat(ran).containsExactly("infer");
    assertThat(
            new RunLedger(
                    spark,
                    new OutputLayout(
                        root.toUri().toString(), java.time.LocalDate.parse("2026-03-01")),
                    CommitFence.NONE)
                .completed("infer")
                .orElseThrow()
                .inputs())
        .containsEntry("input", "model-b");

    // Prepared data replaced: train runs again, and infer after it.
    ran.clear();
    model.put(Stage.TRAIN, "prepared-2");
    runner(spark, config("night-4")).run(steps, Optional.empty());
    assertThat(ran).containsExactly("train", "infer");
  }

  @Test
  void aFailingStageIsRetriedThenNamedAndLaterStagesDoNotRun(SparkSession spark) {
    int[] attempts = {0};
    PipelineRunner.Step flaky =
        new PipelineRunner.Step(
            Stage.TRAIN,
            () -> {
              if (++attempts[0] < 3) {
                throw new IllegalStateException("executor lost");
              }
              return new Done(Stage.TRAIN);
            });
    runner(spark, config("retry"))
        .run(List.of(step(Stage.PREPARE), flaky, step(Stage.INFER)), Optional.empty());
    assertThat(attempts[0]).isEqualTo(3);
    assertThat(ran).containsExactly("prepare", "infer");

    PipelineRunner.Step broken =
        new PipelineRunner.Step(
            Stage.TRAIN,
            () -> {
              throw new IllegalStateException("disk full");
            });
    ran.clear();
    assertThatThrownBy(
            () ->
                runner(spark, config("fail"))
                    .run(
                        List.of(step(Stage.PREPARE), broken, step(Stage.INFER)),
                        Optional.of(Stage.TRAIN)))
        .isInstanceOf(StageFailedException.class)
        .hasMessage("stage train failed after 3 attempts: disk full");
    assertThat(ran).isEmpty();
    Row train = Published.table(spark, root, "runs").where("stage = 'train'").first();
    assertThat(train.getString(train.fieldIndex("status"))).isEqualTo("failed");
    assertThat(train.getString(train.fieldIndex("message"))).isEqualTo("disk full");
    assertThat(
            new RunLedger(
                    spark,
                    new OutputLayout(
                        root.toUri().toString(), java.time.LocalDate.parse("2026-03-01")),
                    CommitFence.NONE)
                .completed("train"))
        .isEmpty();
  }

  @Test
  void aReadThatTimesOutIsRetriedAndContentThatDoesNotParseIsNot(SparkSession spark)
      throws Exception {
    Configuration flaky = FlakyFileSystem.register(new Configuration());
    Path prepared = Files.createDirectories(root.resolve("elsewhere/prepared"));
    Files.writeString(prepared.resolve(OutputLayout.MANIFEST), "{\"id\": \"prepared-1\"}");
    int[] attempts = {0};
    PipelineRunner.Step reading =
        new PipelineRunner.Step(
            Stage.TRAIN,
            () -> {
              attempts[0]++;
              PreparedData.read(flaky, FlakyFileSystem.path(prepared));
              return new Done(Stage.TRAIN);
            });
    FlakyFileSystem.failReads(1);
    List<PipelineRunner.Outcome> outcomes =
        runner(spark, config("timeout")).run(List.of(reading), Optional.empty());
    assertThat(attempts[0]).as("the timed-out read is tried again").isEqualTo(2);
    assertThat(outcomes.get(0).skipped()).isFalse();

    Files.writeString(prepared.resolve(OutputLayout.MANIFEST), "{\"id\": ");
    attempts[0] = 0;
    assertThatThrownBy(
            () -> runner(spark, config("garbage")).run(List.of(reading), Optional.of(Stage.TRAIN)))
        .isInstanceOf(StageFailedException.class)
        .hasMessageContaining("after 1 attempt")
        .hasMessageContaining("not a valid DataManifest");
    assertThat(attempts[0]).isEqualTo(1);
  }

  @Test
  void aMarkerWhoseReadTimesOutIsReadAgain(SparkSession spark) {
    runner(spark, config("night-1")).run(stages(), Optional.empty());
    ran.clear();
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("fs." + FlakyFileSystem.SCHEME + ".impl", FlakyFileSystem.class.getName());
    spark
        .sparkContext()
        .hadoopConfiguration()
        .setBoolean("fs." + FlakyFileSystem.SCHEME + ".impl.disable.cache", true);
    NightjarConfig config = config("night-2");
    OutputLayout flakyLayout =
        new OutputLayout(FlakyFileSystem.path(root).toString(), config.runDate());
    FlakyFileSystem.failReads(1);
    List<PipelineRunner.Outcome> outcomes =
        new PipelineRunner(
                new RunLedger(spark, flakyLayout, CommitFence.NONE),
                config,
                2,
                Duration.ofMillis(10))
            .run(stages(), Optional.empty());
    assertThat(FlakyFileSystem.failuresLeft()).isZero();
    assertThat(outcomes)
        .as("the marker read again says the stages are done")
        .allMatch(PipelineRunner.Outcome::skipped);
    assertThat(ran).isEmpty();
  }

  @Test
  void badInputIsNotRetried(SparkSession spark) {
    int[] attempts = {0};
    PipelineRunner.Step corrupt =
        new PipelineRunner.Step(
            Stage.PREPARE,
            () -> {
              attempts[0]++;
              throw new InputException("train-images.gz: truncated at record 7");
            });
    assertThatThrownBy(() -> runner(spark, config("bad")).run(List.of(corrupt), Optional.empty()))
        .hasMessage("stage prepare failed after 1 attempt: train-images.gz: truncated at record 7");
    assertThat(attempts[0]).isEqualTo(1);

    PipelineRunner.Step fenced =
        new PipelineRunner.Step(
            Stage.PREPARE,
            () -> {
              attempts[0]++;
              throw new LeaseLostException("run bad lost the lock");
            });
    attempts[0] = 0;
    assertThatThrownBy(
            () -> runner(spark, config("bad")).run(List.of(fenced), Optional.of(Stage.PREPARE)))
        .hasMessage("stage prepare failed after 1 attempt: run bad lost the lock");
    assertThat(attempts[0]).as("a lost lock is not retried").isEqualTo(1);
  }
}
