package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Spark ML model on real Fashion-MNIST: the infer stage's predictions from every kind of input.
 */
@ExtendWith(SparkTestSession.class)
class NightjarModelTest {

  @Test
  void encodedImagesScoreAsTheInferStageScoresTheirFiles(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    NightjarModel model =
        NightjarModel.fromServing(spark, night.optimizedDir()).setInputCol("content");
    assertThat(model.engine()).isEqualTo("onnxruntime");
    List<Row> scored =
        model
            .transform(night.imageFiles(spark))
            .select("path", "prediction", "probability", "nightjar_error")
            .collectAsList();

    Agreement agreement = new Agreement("binary PNG files", night.imagePredictions);
    for (Row row : scored) {
      String id = ServedNight.imageId(row.getString(0));
      if (id.equals(ServedNight.BROKEN)) {
        // Quarantined by the infer stage, a null prediction here, for the same reason.
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(2)).isTrue();
        assertThat(row.getString(3)).isEqualTo(night.brokenReason);
        continue;
      }
      assertThat(row.isNullAt(3)).as(row.getString(3)).isTrue();
      int label = (int) row.getDouble(1);
      Vector probabilities = row.getAs(2);
      assertThat(probabilities.size()).isEqualTo(10);
      assertThat(probabilities.argmax()).isEqualTo(label);
      assertThat(java.util.Arrays.stream(probabilities.toArray()).sum())
          .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
      agreement.add(id, label, probabilities.apply(label));
    }
    agreement.assertAll(night.imagePredictions.size());
    assertThat(scored).hasSize(night.imagePredictions.size() + 1);
  }

  @Test
  void sparkImageSourceRowsScoreAsTheInferStageScoresTheFiles(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    Dataset<Row> images =
        spark
            .read()
            .format("image")
            .option("recursiveFileLookup", "true")
            .load(night.images.toUri().toString());
    NightjarModel model = NightjarModel.fromServing(spark, night.optimizedDir());
    assertThat(model.getInputCol()).isEqualTo("image");
    Agreement agreement = new Agreement("spark.read().format(\"image\")", night.imagePredictions);
    int broken = 0;
    for (Row row :
        model
            .transform(images)
            .select("image.origin", "prediction", "probability", "nightjar_error")
            .collectAsList()) {
      String id = ServedNight.imageId(row.getString(0));
      if (id.equals(ServedNight.BROKEN)) {
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getString(3))
            .startsWith("Spark's image data source could not decode")
            .endsWith(ServedNight.BROKEN);
        broken++;
        continue;
      }
      int label = (int) row.getDouble(1);
      agreement.add(id, label, ((Vector) row.getAs(2)).apply(label));
    }
    agreement.assertAll(night.imagePredictions.size());
    assertThat(broken).isEqualTo(1);
  }

  @Test
  void examplePixelsScoreAsTheInferStageScoresTheTestSplit(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    Dataset<Row> examples = night.testExamples(spark);
    NightjarModel model =
        NightjarModel.fromServing(spark, night.optimizedDir())
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setBatchSize(64);
    Agreement binary = new Agreement("examples table pixels (binary)", night.splitPredictions);
    for (Row row :
        model.transform(examples).select("id", "prediction", "probability").collectAsList()) {
      int label = (int) row.getDouble(1);
      binary.add(row.getString(0), label, ((Vector) row.getAs(2)).apply(label));
    }
    binary.assertAll(night.splitPredictions.size());

    // The same pixels as an array of whole numbers, as a user's table might hold them.
    List<Row> arrays = new ArrayList<>();
    for (Row row : examples.collectAsList()) {
      byte[] pixels = row.getAs("pixels");
      Integer[] values = new Integer[pixels.length];
      for (int i = 0; i < pixels.length; i++) {
        values[i] = pixels[i] & 0xFF;
      }
      arrays.add(RowFactory.create(row.getString(0), values));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.IntegerType));
    Agreement array = new Agreement("pixel arrays (array<int>)", night.splitPredictions);
    for (Row row :
        model
            .setInputCol("values")
            .transform(spark.createDataFrame(arrays, schema))
            .select("id", "prediction", "probability")
            .collectAsList()) {
      int label = (int) row.getDouble(1);
      array.add(row.getString(0), label, ((Vector) row.getAs(2)).apply(label));
    }
    array.assertAll(night.splitPredictions.size());
  }

  @Test
  void topKListsTheMostProbableClassesMostProbableFirst(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    NightjarModel model =
        NightjarModel.fromServing(spark, night.optimizedDir())
            .setInputCol("pixels")
            .setBinaryFormat("pixels")
            .setTopK(3)
            .setTopKCol("best");
    Dataset<Row> scored = model.transform(night.testExamples(spark).limit(50));
    assertThat(scored.schema().apply("best").dataType().simpleString())
        .isEqualTo("array<struct<label:int,probability:double>>");
    for (Row row : scored.select("prediction", "probability", "best").collectAsList()) {
      List<Row> best = row.getList(2);
      Vector probabilities = row.getAs(1);
      assertThat(best).hasSize(3);
      assertThat(best.get(0).getInt(0)).isEqualTo((int) row.getDouble(0));
      for (int rank = 0; rank < 3; rank++) {
        assertThat(best.get(rank).getDouble(1))
            .isEqualTo(probabilities.apply(best.get(rank).getInt(0)));
      }
      assertThat(best.get(0).getDouble(1)).isGreaterThanOrEqualTo(best.get(1).getDouble(1));
      assertThat(best.get(1).getDouble(1)).isGreaterThanOrEqualTo(best.get(2).getDouble(1));
    }
  }

  @Test
  void aMissingOrWronglyTypedColumnFailsBeforeAnyTaskRuns(SparkSession spark) {
    ServedNight night = ServedNight.get(spark);
    NightjarModel model = NightjarModel.fromServing(spark, night.optimizedDir());
    Dataset<Row> examples = night.testExamples(spark);
    String group = "nightjar-ml-schema-check";
    spark.sparkContext().setJobGroup(group, "schema checks", false);
    try {
      assertThatThrownBy(() -> model.setInputCol("photo").transform(examples))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input column 'photo' not found among [id, label, pixels]")
          .hasMessageContaining("binary");
      assertThatThrownBy(() -> model.setInputCol("id").transform(examples))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input column 'id' is of type string")
          .hasMessageContaining("spark.read().format(\"image\")");
      assertThatThrownBy(
              () -> model.setInputCol("pixels").setPredictionCol("label").transform(examples))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("output column 'label' already exists");
      assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(group)).isEmpty();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  @Test
  void anUnusableRowGetsANullPredictionAndItsReasonNotAFailedJob(SparkSession spark)
      throws Exception {
    ServedNight night = ServedNight.get(spark);
    byte[] grey = new byte[784];
    java.util.Arrays.fill(grey, (byte) 90);
    StructType schema =
        new StructType().add("name", DataTypes.StringType).add("content", DataTypes.BinaryType);
    List<Row> rows =
        List.of(
            RowFactory.create("good", ImageFolders.encode(grey, 28, "png")),
            RowFactory.create(
                "text", "hello, world".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            RowFactory.create(
                "truncated", java.util.Arrays.copyOf(ImageFolders.encode(grey, 200, "jpg"), 300)),
            RowFactory.create("null", null),
            RowFactory.create("good again", ImageFolders.encode(grey, 56, "jpg")));
    NightjarModel model =
        NightjarModel.fromServing(spark, night.optimizedDir())
            .setInputCol("content")
            .setBatchSize(2);
    List<Row> scored =
        model
            .transform(spark.createDataFrame(rows, schema).coalesce(1))
            .select("name", "prediction", "probability", "nightjar_error")
            .collectAsList();
    assertThat(scored)
        .extracting(r -> r.getString(0))
        .containsExactly("good", "text", "truncated", "null", "good again");
    for (Row row : scored) {
      boolean good = row.getString(0).startsWith("good");
      assertThat(row.isNullAt(1)).as(row.getString(0)).isEqualTo(!good);
      assertThat(row.isNullAt(2)).as(row.getString(0)).isEqualTo(!good);
      assertThat(row.isNullAt(3)).as(row.getString(0)).isEqualTo(good);
    }
    assertThat(scored.get(1).getString(3))
        .isEqualTo("not a JPEG, PNG, BMP, GIF, TIFF or WebP image");
    assertThat(scored.get(2).getString(3)).isNotBlank();
    assertThat(scored.get(3).getString(3)).isEqualTo("the input is null");
  }
}
