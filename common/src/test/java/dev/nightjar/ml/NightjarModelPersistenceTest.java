package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.infer.ExecutorModelCache;
import dev.nightjar.testing.SparkTestSession;
import java.net.URI;
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
 * A saved model is self-contained, alone or as a stage of a saved Pipeline, and scores as before.
 */
@ExtendWith(SparkTestSession.class)
class NightjarModelPersistenceTest {
  @TempDir Path dir;

  @Test
  void aSavedModelLoadsWithItsParamsAndItsOwnCopyOfTheModelFile(SparkSession spark)
      throws Exception {
    ServedNight night = ServedNight.get(spark);
    NightjarModel serving = NightjarModel.fromServing(spark, night.optimizedDir());
    // A copy of the serving file, deleted once saved: the saved model must not need it.
    Path original = Path.of(URI.create(serving.modelFile().file()));
    Path copy = Files.copy(original, dir.resolve("copy-" + original.getFileName()));
    NightjarModel model =
        NightjarModel.fromFile(
                spark, copy.toUri().toString(), serving.imageShape(), serving.numClasses())
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setTopK(2)
            .setBatchSize(50)
            .setErrorCol("why");
    assertThat(model.engine()).isEqualTo("onnxruntime");
    Dataset<Row> examples = night.testExamples(spark);
    List<Row> before = scores(model.transform(examples));

    String saved = dir.resolve("saved-model").toUri().toString();
    model.write().save(saved);
    Files.delete(copy);
    ExecutorModelCache.jvm().invalidateAll();
    NightjarModel loaded = NightjarModel.load(saved);

    assertThat(loaded.uid()).isEqualTo(model.uid());
    assertThat(loaded.modelVersion()).isEqualTo(model.modelVersion());
    assertThat(loaded.getInputCol()).isEqualTo("pixels");
    assertThat(loaded.getBinaryFormat()).isEqualTo("pixels");
    assertThat(loaded.getTopK()).isEqualTo(2);
    assertThat(loaded.getBatchSize()).isEqualTo(50);
    assertThat(loaded.getErrorCol()).isEqualTo("why");
    assertThat(Path.of(URI.create(loaded.modelFile().file())))
        .startsWith(dir.resolve("saved-model"));
    assertThat(scores(loaded.transform(examples))).isEqualTo(before);
    assertThat(before).hasSize(night.splitPredictions.size());
  }

  @Test
  void aPipelineHoldingTheModelSavesLoadsAndScoresTheSame(SparkSession spark) throws Exception {
    ServedNight night = ServedNight.get(spark);
    NightjarModel model =
        NightjarModel.fromServing(spark, night.optimizedDir()).setInputCol("png").setTopK(3);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new SQLTransformer()
                      .setStatement(
                          "SELECT path, content AS png FROM __THIS__ WHERE path LIKE '%.png'"),
                  model
                });
    Dataset<Row> files = night.imageFiles(spark);
    PipelineModel fitted = pipeline.fit(files);
    List<Row> before = scores(fitted.transform(files).drop("png"));

    String saved = dir.resolve("saved-pipeline").toUri().toString();
    fitted.write().save(saved);
    ExecutorModelCache.jvm().invalidateAll();
    PipelineModel loaded = PipelineModel.load(saved);
    assertThat(loaded.stages()).hasSize(2);
    assertThat(loaded.stages()[1]).isInstanceOf(NightjarModel.class);
    assertThat(((NightjarModel) loaded.stages()[1]).getTopK()).isEqualTo(3);
    List<Row> after = scores(loaded.transform(files).drop("png"));
    assertThat(after).isEqualTo(before);

    Agreement agreement = new Agreement("Pipeline, saved and loaded", night.imagePredictions);
    for (Row row : after) {
      String id = ServedNight.imageId(row.getString(0));
      if (!id.equals(ServedNight.BROKEN)) {
        agreement.add(id, (int) row.getDouble(1), Double.NaN);
      }
    }
    agreement.assertAll(night.imagePredictions.size());
  }

  /** The scored rows in a stable order, compared by value (vectors and ranked classes included). */
  private static List<Row> scores(Dataset<Row> scored) {
    return scored.orderBy(scored.columns()[0]).collectAsList();
  }
}
