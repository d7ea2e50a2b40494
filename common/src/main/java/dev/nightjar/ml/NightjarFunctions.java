package dev.nightjar.ml;

import dev.nightjar.config.ImageConfig;
import dev.nightjar.io.HadoopPaths;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.source.image.ImageDecoder;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Nightjar models as SQL functions.
 *
 * <pre>{@code
 * NightjarFunctions.register(spark, "nightjar_predict", "hdfs:///nightjar/optimized/run_date=2026-03-01");
 * spark.sql("SELECT path, nightjar_predict(content) AS class FROM images");
 * }</pre>
 *
 * <p>The function takes a binary column of encoded images (PNG, JPEG, BMP, GIF) and returns the
 * predicted class index (int), or null for a null or undecodable image. Images are decoded and
 * resized to the model's shape as the infer stage decodes image files. Each executor JVM loads the
 * model once (the infer stage's executor model cache), but SQL calls a function row by row, so each
 * image is scored alone: for large inputs {@link NightjarModel#transform}, which scores in batches,
 * is several times faster.
 */
public final class NightjarFunctions {
  private NightjarFunctions() {}

  /**
   * Registers {@code name} as a SQL function of {@code spark} that predicts with a model.
   *
   * @param modelUri a folder {@code NightjarModel.write().save} wrote, or the optimize stage's
   *     output of a run date ({@code optimized/run_date=D}, with its {@code serving.json})
   */
  public static void register(SparkSession spark, String name, String modelUri) {
    boolean serving =
        HadoopPaths.exists(
            new Path(modelUri, ServingDecision.FILE), spark.sparkContext().hadoopConfiguration());
    register(
        spark,
        name,
        serving ? NightjarModel.fromServing(spark, modelUri) : NightjarModel.load(modelUri));
  }

  /** Registers {@code name} as a SQL function of {@code spark} that predicts with {@code model}. */
  public static void register(SparkSession spark, String name, NightjarModel model) {
    int[] shape = model.imageShape();
    ImageDecoder decoder =
        new ImageDecoder(
            shape[0],
            shape[1],
            shape[2],
            model.getMaxImagePixels(),
            ImageConfig.builder().build().maxBytes());
    spark
        .udf()
        .register(
            name,
            new PredictUdf(
                model.ref(), SerializableHadoopConf.of(spark.sparkContext()), decoder, name),
            DataTypes.IntegerType);
  }
}
