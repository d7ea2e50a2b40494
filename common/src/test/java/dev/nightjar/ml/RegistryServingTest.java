package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.registry.RegisteredModel;
import dev.nightjar.run.PipelineRunner;
import dev.nightjar.run.RunLedger;
import dev.nightjar.stage.Stage;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The nightly job that trains nothing: a week after {@link ServedNight}'s training, its serving
 * model is promoted to {@code approved}, and a pipeline of the infer stage alone scores new images
 * with it, as the night's own infer stage did.
 */
@ExtendWith(SparkTestSession.class)
class RegistryServingTest {
  private static final String LATER = "2026-04-08";

  private static NightjarConfig inferOnly(ServedNight night, String runId, String model) {
    return ConfigLoader.fromOverrides(
        "output-root=" + night.root.toUri(),
        "run-date=" + LATER,
        "run-id=" + runId,
        "pipeline.stages=[infer]",
        "infer.model=" + model,
        "infer.input=" + night.images.toUri(),
        "infer.input-format=images",
        "prepare.image.channels=1");
  }

  private static List<PipelineRunner.Outcome> pipeline(SparkSession spark, NightjarConfig config) {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    PipelineRunner runner =
        new PipelineRunner(
            new RunLedger(spark, layout, CommitFence.NONE),
            config,
            0,
            config.pipeline().retryBackoff());
    return runner.run(Nightjar.pipelineSteps(spark, config, CommitFence.NONE), Optional.empty());
  }

  @Test
  void anInferOnlyPipelineScoresNewDataWithTheApprovedModel(SparkSession spark) throws Exception {
    ServedNight night = ServedNight.get(spark);
    ModelRegistry registry =
        new ModelRegistry(
            spark.sparkContext().hadoopConfiguration(), night.root.toUri().toString());
    // The train and optimize stages registered their models as they committed them.
    List<RegisteredModel> models = registry.models();
    assertThat(models)
        .extracting(RegisteredModel::kind)
        .containsExactly(RegisteredModel.Kind.TRAINED, RegisteredModel.Kind.SERVING);
    RegisteredModel serving = models.get(1);
    assertThat(serving.parent()).isEqualTo(models.get(0).version());
    assertThat(serving.runDate()).isEqualTo(ServedNight.RUN_DATE);

    // No alias yet: one clear error before anything runs.
    Throwable refused =
        catchThrowable(() -> pipeline(spark, inferOnly(night, "early", "approved")));
    while (refused != null && !(refused instanceof ConfigException)) {
      refused = refused.getCause();
    }
    assertThat(refused)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("approved: no such alias or version")
        .hasMessageContaining(serving.version());

    registry.promote(serving.version(), "approved", "ana", "scored well all week");
    List<PipelineRunner.Outcome> outcomes = pipeline(spark, inferOnly(night, "later", "approved"));
    assertThat(outcomes).extracting(PipelineRunner.Outcome::stage).containsExactly(Stage.INFER);

    Dataset<Row> scored =
        spark
            .read()
            .parquet(
                Published.path(night.root, "predictions/run_date=" + LATER).toUri().toString());
    assertThat(scored.select("model_version").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(serving.version());
    Map<String, ServedNight.Prediction> same = night.imagePredictions;
    List<Row> rows = scored.select("id", "predicted_label").collectAsList();
    assertThat(rows).hasSize(same.size());
    long agree = rows.stream().filter(r -> same.get(r.getString(0)).label() == r.getInt(1)).count();
    assertThat(agree).isEqualTo(rows.size());
    // Nothing trained, optimized or prepared for the later date.
    for (String table : List.of("prepared", "models", "optimized")) {
      assertThat(night.root.resolve(table + "/run_date=" + LATER)).doesNotExist();
    }
    // The same alias again: the stage's marker holds, so the rerun skips it.
    assertThat(pipeline(spark, inferOnly(night, "again", "approved")).get(0).result()).isEmpty();
    assertThat(Files.exists(night.root.resolve("registry/aliases/approved/00000001.json")))
        .isTrue();
  }
}
