package dev.nightjar.ml;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.Published;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One night on real Fashion-MNIST, made once per test JVM and shared by the tests of this package:
 * prepare, train (tiny-cnn, one epoch), optimize (the fp32 ONNX export as the serving model), and
 * the infer stage's predictions for the prepared test split and for a folder of PNG files, which
 * the Spark ML model and the SQL function must reproduce.
 */
final class ServedNight {
  static final String RUN_DATE = "2026-04-01";
  static final String IMAGES = "new-images";
  static final String BROKEN = "broken.png";
  private static ServedNight night;

  /** The infer stage's prediction for one input. */
  record Prediction(int label, double probability) {}

  final Path root;
  final Path images;

  /** By example id. */
  final Map<String, Prediction> splitPredictions;

  /** By id below the images folder, as {@code Coat/00042.png}. */
  final Map<String, Prediction> imagePredictions;

  /** Why the infer stage quarantined {@link #BROKEN}. */
  final String brokenReason;

  private ServedNight(
      Path root,
      Path images,
      Map<String, Prediction> splitPredictions,
      Map<String, Prediction> imagePredictions,
      String brokenReason) {
    this.root = root;
    this.images = images;
    this.splitPredictions = splitPredictions;
    this.imagePredictions = imagePredictions;
    this.brokenReason = brokenReason;
  }

  static synchronized ServedNight get(SparkSession spark) {
    if (night == null) {
      night = make(spark);
    }
    return night;
  }

  String optimizedDir() {
    return Published.path(root, "optimized/run_date=" + RUN_DATE).toUri().toString();
  }

  String modelsDir() {
    return Published.path(root, "models/run_date=" + RUN_DATE).toUri().toString();
  }

  /** {@code id, label, pixels} of the prepared test split, as the infer stage scores it. */
  Dataset<Row> testExamples(SparkSession spark) {
    return spark
        .read()
        .parquet(Published.uri(root, "prepared/run_date=" + RUN_DATE + "/examples"))
        .where("split = 'test'")
        .select("id", "label", "pixels");
  }

  /** The PNG files (and the broken one) as {@code spark.read().format("binaryFile")} reads them. */
  Dataset<Row> imageFiles(SparkSession spark) {
    return spark
        .read()
        .format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(images.toUri().toString());
  }

  /** The id the infer stage gives an image file: its path below the images folder. */
  static String imageId(String uri) {
    return uri.substring(uri.indexOf(IMAGES + "/") + IMAGES.length() + 1);
  }

  private static NightjarConfig config(Path root, String runId, String... extra) {
    List<String> overrides =
        new ArrayList<>(
            List.of(
                "output-root=" + root.toUri(),
                "run-date=" + RUN_DATE,
                "run-id=" + runId,
                "data.source=" + FashionMnist.dir(),
                "data.train-limit=2000",
                "data.test-limit=500",
                "prepare.partitions=2",
                "train.model=tiny-cnn",
                "train.epochs=1",
                "train.collect-stats=false",
                "optimize.variants=[]",
                "optimize.architectures=[]",
                "optimize.latency-runs=10",
                "optimize.throughput-seconds=0.05"));
    overrides.addAll(List.of(extra));
    return ConfigLoader.fromOverrides(overrides.toArray(String[]::new));
  }

  private static ServedNight make(SparkSession spark) {
    try {
      Path root = Files.createTempDirectory("nightjar-ml-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
      Path data = Files.createDirectories(root.resolve("data"));
      NightjarConfig config = config(root, "night");
      Nightjar.prepare(spark, config).execute();
      Nightjar.train(spark, config).execute();
      Nightjar.optimize(spark, config).execute();

      Nightjar.infer(spark, config).execute();
      Map<String, Prediction> split = predictions(spark, root);

      // 40x40 RGB files, resized to the model's 28x28 grey on the way in, and one that is no image.
      Path images = data.resolve(IMAGES);
      ImageFolders.write(images, 200, 40, "png", label -> true);
      Files.write(images.resolve(BROKEN), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});
      Nightjar.infer(
              spark,
              config(
                  root, "new-images", "infer.input=" + images.toUri(), "infer.input-format=images"))
          .execute();
      Map<String, Prediction> files = predictions(spark, root);
      Row quarantined = Published.table(spark, root, "infer_quarantine").first();
      return new ServedNight(
          root, images, split, files, quarantined.getString(quarantined.fieldIndex("reason")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Prediction> predictions(SparkSession spark, Path root) {
    Map<String, Prediction> byId = new HashMap<>();
    for (Row r : Published.table(spark, root, "predictions").collectAsList()) {
      byId.put(
          r.getString(r.fieldIndex("id")),
          new Prediction(
              r.getInt(r.fieldIndex("predicted_label")), r.getDouble(r.fieldIndex("probability"))));
    }
    return byId;
  }

  private static void delete(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder; the system cleans it eventually.
    }
  }
}
