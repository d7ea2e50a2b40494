package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.infer.ExecutorModelCache;
import dev.nightjar.model.ModelRef;
import dev.nightjar.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two models of different versions in one application: each loaded once per executor JVM and kept
 * there.
 */
@ExtendWith(SparkTestSession.class)
class TwoModelsTest {

  @Test
  void twoVersionsScoreInOneJobAndBothStayCached(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    NightjarModel trained =
        NightjarModel.fromTrained(spark, night.modelsDir())
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setPredictionCol("trained")
            .setProbabilityCol("trained_probability")
            .setErrorCol("trained_error");
    NightjarModel serving =
        NightjarModel.fromServing(spark, night.optimizedDir())
            .setInputCol("pixels")
            .setBinaryFormat("pixels");
    assertThat(trained.engine()).isEqualTo("dl4j");
    assertThat(serving.engine()).isEqualTo("onnxruntime");
    assertThat(trained.modelVersion()).isNotEqualTo(serving.modelVersion());

    ExecutorModelCache.jvm().invalidateAll();
    int loads = ExecutorModelCache.jvm().loads();
    Dataset<Row> both = serving.transform(trained.transform(night.testExamples(spark)));
    List<Row> rows = both.select("id", "trained", "prediction").collectAsList();
    assertThat(ExecutorModelCache.jvm().loads() - loads).isEqualTo(2);
    assertThat(cachedOnExecutors(spark, List.of(trained.ref(), serving.ref()))).containsOnly(true);

    // Scoring again reads neither from storage.
    assertThat(both.count()).isEqualTo(rows.size());
    assertThat(ExecutorModelCache.jvm().loads() - loads).isEqualTo(2);

    Agreement onnx =
        new Agreement(
            "serving model, scored in the job of the trained one", night.splitPredictions);
    int same = 0;
    for (Row row : rows) {
      onnx.add(row.getString(0), (int) row.getDouble(2), Double.NaN);
      same += row.getDouble(1) == row.getDouble(2) ? 1 : 0;
    }
    onnx.assertAll(night.splitPredictions.size());
    // The same weights on two engines: float rounding may flip a near tie, rarely.
    System.out.printf("AGREEMENT trained DL4J vs serving ONNX: %d of %d%n", same, rows.size());
    assertThat(same).isGreaterThanOrEqualTo(rows.size() * 99 / 100);
  }

  /** Asks a task on each slot whether its JVM holds every model. */
  private static List<Boolean> cachedOnExecutors(SparkSession spark, List<ModelRef> refs) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1, 2), 2)
        .map(i -> refs.stream().allMatch(ref -> ExecutorModelCache.jvm().holds(ref)))
        .collect();
  }
}
