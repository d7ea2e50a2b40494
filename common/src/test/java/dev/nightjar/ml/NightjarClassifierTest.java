package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimator in a Pipeline: Nightjar's training on a DataFrame of labelled Fashion-MNIST images.
 */
@ExtendWith(SparkTestSession.class)
class NightjarClassifierTest {
  @TempDir Path dir;

  @Test
  void aPipelineFitsScoresSavesAndLoads(SparkSession spark) throws Exception {
    ServedNight night = ServedNight.get(spark);
    Dataset<Row> examples =
        spark
            .read()
            .parquet(
                Published.uri(
                    night.root, "prepared/run_date=" + ServedNight.RUN_DATE + "/examples"));
    Dataset<Row> labelled = examples.where("split != 'test'");
    Path work = dir.resolve("work");
    NightjarClassifier classifier =
        new NightjarClassifier()
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setArchitecture("tiny-cnn")
            .setEpochs(4)
            .setLearningRate(0.003)
            .setWorkers(2)
            .setWorkDir(work.toUri().toString());
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new SQLTransformer().setStatement("SELECT id, pixels, label FROM __THIS__"),
                  classifier
                });

    // The unfitted pipeline saves and loads with the classifier's params.
    pipeline.write().save(dir.resolve("pipeline").toUri().toString());
    NightjarClassifier reloaded =
        (NightjarClassifier)
            Pipeline.load(dir.resolve("pipeline").toUri().toString()).getStages()[1];
    assertThat(reloaded.getArchitecture()).isEqualTo("tiny-cnn");
    assertThat(reloaded.getWorkDir()).isEqualTo(classifier.getWorkDir());

    long started = System.nanoTime();
    PipelineModel fitted = pipeline.fit(labelled);
    System.out.printf(
        "CLASSIFIER fit on %d rows in %.1f s%n",
        labelled.count(), (System.nanoTime() - started) / 1e9);
    NightjarModel model = (NightjarModel) fitted.stages()[1];
    assertThat(model.engine()).isEqualTo("onnxruntime");
    assertThat(model.parent()).isSameAs(classifier);
    assertThat(model.numClasses()).isEqualTo(10);
    // Shards and checkpoints are gone; the model and the train stage's metrics stay.
    try (var fits = Files.list(work)) {
      Path fit = fits.findFirst().orElseThrow();
      assertThat(fit.resolve("prepared")).doesNotExist();
      assertThat(fit.resolve("checkpoints")).doesNotExist();
      try (var files = Files.walk(fit.resolve("models"))) {
        assertThat(files.filter(f -> f.getFileName().toString().equals("model.onnx")).count())
            .isEqualTo(1);
      }
    }

    Dataset<Row> test = examples.where("split = 'test'");
    List<Row> scored =
        fitted
            .transform(test)
            .select("id", "label", "prediction", "probability")
            .orderBy("id")
            .collectAsList();
    long right = scored.stream().filter(r -> r.getInt(1) == (int) r.getDouble(2)).count();
    double accuracy = right / (double) scored.size();
    System.out.printf("CLASSIFIER test accuracy %.4f on %d images%n", accuracy, scored.size());
    // Chance is 10%; four short epochs of tiny-cnn on 1,600 images get well above it.
    assertThat(accuracy).isGreaterThan(0.55);

    String saved = dir.resolve("fitted").toUri().toString();
    fitted.write().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);
    assertThat(
            loaded
                .transform(test)
                .select("id", "label", "prediction", "probability")
                .orderBy("id")
                .collectAsList())
        .isEqualTo(scored);
  }

  @Test
  void aMissingLabelColumnFailsBeforeTraining(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    NightjarClassifier classifier =
        new NightjarClassifier()
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setLabelCol("class")
            .setWorkDir(dir.toUri().toString());
    assertThatThrownBy(() -> classifier.fit(night.testExamples(spark)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label column 'class'");
    assertThat(dir).isEmptyDirectory();
  }
}
