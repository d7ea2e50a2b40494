package dev.nightjar.examples;

import dev.nightjar.ml.NightjarFunctions;
import dev.nightjar.ml.NightjarModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores a folder of image files with a saved Nightjar model from a plain Spark program, the way
 * the README shows: as a Spark ML model and as a SQL function.
 *
 * <p>Arguments: the saved model's folder (what {@code NightjarModel.write().save} wrote), the
 * folder of images (searched recursively).
 */
public final class ScoreImages {
  private ScoreImages() {}

  /** What the example computes: the model's columns, and the SQL function's class per file. */
  record Scored(Dataset<Row> scored, Dataset<Row> classes) {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("Usage: ScoreImages SAVED_MODEL_DIR IMAGE_DIR");
      System.exit(2);
    }
    try (SparkSession spark =
        SparkSession.builder().appName("score-images").master("local[2]").getOrCreate()) {
      Scored result = run(spark, args[0], args[1]);
      result.scored().show(false);
      result.classes().show(false);
    }
  }

  static Scored run(SparkSession spark, String modelDir, String imageDir) {
    // README:score:begin
    NightjarModel model = NightjarModel.load(modelDir).setInputCol("content").setTopK(3);
    Dataset<Row> images =
        spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(imageDir);
    Dataset<Row> scored = model.transform(images).select("path", "prediction", "top_k");

    NightjarFunctions.register(spark, "nightjar_predict", model);
    images.createOrReplaceTempView("images");
    Dataset<Row> classes = spark.sql("SELECT path, nightjar_predict(content) AS class FROM images");
    // README:score:end
    return new Scored(scored, classes);
  }
}
