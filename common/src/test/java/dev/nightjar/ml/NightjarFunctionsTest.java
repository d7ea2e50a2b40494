package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.infer.ExecutorModelCache;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL function: the infer stage's predictions, one model per JVM, null for an undecodable
 * image.
 */
@ExtendWith(SparkTestSession.class)
class NightjarFunctionsTest {
  @TempDir Path dir;

  @Test
  void theSqlFunctionPredictsAsTheInferStage(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    ExecutorModelCache.jvm().invalidateAll();
    int loads = ExecutorModelCache.jvm().loads();
    NightjarFunctions.register(spark, "nightjar_predict", night.optimizedDir());
    night.imageFiles(spark).createOrReplaceTempView("images");
    List<Row> rows =
        spark.sql("SELECT path, nightjar_predict(content) AS class FROM images").collectAsList();
    // One load for all the rows and both task slots.
    assertThat(ExecutorModelCache.jvm().loads() - loads).isEqualTo(1);

    Agreement agreement = new Agreement("SQL function", night.imagePredictions);
    for (Row row : rows) {
      String id = ServedNight.imageId(row.getString(0));
      if (id.equals(ServedNight.BROKEN)) {
        assertThat(row.isNullAt(1)).isTrue();
      } else {
        agreement.add(id, row.getInt(1), Double.NaN);
      }
    }
    agreement.assertAll(night.imagePredictions.size());
    assertThat(spark.sql("SELECT nightjar_predict(CAST(NULL AS BINARY))").first().isNullAt(0))
        .isTrue();
  }

  @Test
  void aSavedModelRegistersToo(SparkSession spark) throws Exception {
    ServedNight night = ServedNight.get(spark);
    String saved = dir.resolve("saved").toUri().toString();
    NightjarModel.fromTrained(spark, night.modelsDir()).write().save(saved);
    NightjarFunctions.register(spark, "trained_predict", saved);
    night.imageFiles(spark).createOrReplaceTempView("trained_images");
    Row counts =
        spark.sql("SELECT count(trained_predict(content)), count(*) FROM trained_images").first();
    assertThat(counts.getLong(0)).isEqualTo(night.imagePredictions.size());
    assertThat(counts.getLong(1)).isEqualTo(night.imagePredictions.size() + 1);
  }
}
