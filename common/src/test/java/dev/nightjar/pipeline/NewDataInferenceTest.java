package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.infer.InferResult;
import dev.nightjar.io.IdxReader;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The infer stage on new data: unlabelled images and tables, decoded like the training data. */
@ExtendWith(SparkTestSession.class)
class NewDataInferenceTest {
  @TempDir Path output;
  @TempDir Path data;

  private NightjarConfig config(String runId, String... extra) {
    List<String> overrides =
        new ArrayList<>(
            List.of(
                "output-root=" + output.toUri(),
                "run-date=2026-03-01",
                "run-id=" + runId,
                "data.source=" + FashionMnist.dir(),
                "data.train-limit=1500",
                "data.test-limit=300",
                "prepare.partitions=2",
                "train.epochs=1",
                "infer.model=trained",
                "infer.engine=dl4j"));
    overrides.addAll(List.of(extra));
    return ConfigLoader.fromOverrides(overrides.toArray(String[]::new));
  }

  private void train(SparkSession spark) {
    Nightjar.prepare(spark, config("train")).execute();
    Nightjar.train(spark, config("train")).execute();
  }

  @Test
  void scoresAFolderOfNewImagesLabelledOrNot(SparkSession spark) throws Exception {
    train(spark);
    Path images = data.resolve("new-images");
    int written = ImageFolders.write(images, 120, 40, "png", label -> true);
    // Images straight in the folder are unlabelled; so are those of a sub-folder that is no class.
    int unlabelled = 0;
    for (String folder : List.of("Sandal", "Shirt")) {
      try (var files = Files.list(images.resolve(folder))) {
        for (Path file : files.toList()) {
          Files.move(file, images.resolve(folder + "-" + file.getFileName()));
          unlabelled++;
        }
      }
    }
    Files.move(images.resolve("Bag"), images.resolve("holiday photos"));
    Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});

    NightjarConfig config =
        config(
            "score",
            "data.format=idx",
            "infer.input=" + images.toUri(),
            "infer.input-format=images",
            "prepare.image.channels=1",
            "infer.top-k=2");
    InferResult result = Nightjar.infer(spark, config).execute();
    assertThat(result.rows()).isEqualTo(written);

    Dataset<Row> predictions = Published.table(spark, output, "predictions");
    assertThat(predictions.count()).isEqualTo(written);
    assertThat(predictions.select("id").distinct().count()).isEqualTo(written);
    // Unlabelled: the loose images, and those of every sub-folder not named after one of the
    // model's classes ("holiday photos", and "T-shirt" and "Ankle-boot", which the config spells
    // otherwise).
    long inOtherFolders = 0;
    try (var folders = Files.list(images)) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        if (!config.data().classNames().contains(folder.getFileName().toString())) {
          try (var files = Files.list(folder)) {
            inOtherFolders += files.count();
          }
        }
      }
    }
    assertThat(inOtherFolders).isPositive();
    assertThat(predictions.where("label is null").count()).isEqualTo(unlabelled + inOtherFolders);
    // "Coat" is one of the model's classes (index 4): its images carry that label.
    assertThat(predictions.where("id like 'Coat/%'").select("label").distinct().collectAsList())
        .extracting(r -> r.getInt(0))
        .containsExactly(4);
    assertThat(predictions.where("size(top_k) = 2").count()).isEqualTo(written);
    assertThat(predictions.select("source").distinct().collectAsList().get(0).getString(0))
        .contains("new-images");

    Dataset<Row> quarantine = Published.table(spark, output, "infer_quarantine");
    assertThat(quarantine.count()).isEqualTo(1);
    assertThat(quarantine.first().getString(quarantine.first().fieldIndex("source")))
        .endsWith("broken.png");

    // A missing input fails with its key and path, and leaves the night's predictions as they were.
    NightjarConfig missing =
        config(
            "missing",
            "infer.input=" + data.resolve("nowhere").toUri(),
            "infer.input-format=images");
    assertThatThrownBy(() -> Nightjar.infer(spark, missing).execute())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nowhere");
    assertThat(Published.table(spark, output, "predictions").count()).isEqualTo(written);
  }

  @Test
  void aCleanRerunLeavesNoStaleQuarantineRows(SparkSession spark) throws Exception {
    NightjarConfig training =
        config("train", "train.model=tiny-cnn", "data.train-limit=600", "data.test-limit=100");
    Nightjar.prepare(spark, training).execute();
    Nightjar.train(spark, training).execute();
    Path images = data.resolve("night-images");
    int written = ImageFolders.write(images, 40, 28, "png", label -> true);
    Path broken =
        Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});

    Nightjar.infer(
            spark,
            config(
                "first",
                "infer.input=" + images.toUri(),
                "infer.input-format=images",
                "prepare.image.channels=1"))
        .execute();
    assertThat(Published.table(spark, output, "infer_quarantine").count()).isEqualTo(1);

    // The same date scored again once the bad file is gone: the date's quarantine is this run's,
    // empty.
    Files.delete(broken);
    InferResult rerun =
        Nightjar.infer(
                spark,
                config(
                    "rerun",
                    "infer.input=" + images.toUri(),
                    "infer.input-format=images",
                    "prepare.image.channels=1"))
            .execute();
    assertThat(rerun.rows()).isEqualTo(written);
    assertThat(Published.path(output, "infer_quarantine/run_date=2026-03-01")).isDirectory();
    assertThat(Published.table(spark, output, "infer_quarantine").count()).isZero();
  }

  @Test
  void scoresAnUnlabelledParquetTableOfPixels(SparkSession spark) throws Exception {
    train(spark);
    StructType schema = new StructType().add("name", DataTypes.StringType);
    for (int i = 0; i < 784; i++) {
      schema = schema.add("p" + i, DataTypes.IntegerType);
    }
    List<Row> rows = new ArrayList<>();
    try (IdxReader pixels =
        IdxReader.open(FashionMnist.dir() + "/t10k-images-idx3-ubyte.gz", new Configuration())) {
      byte[] image = new byte[784];
      for (int i = 0; i < 150; i++) {
        pixels.readRecord(image);
        Object[] values = new Object[785];
        values[0] = "item-" + i;
        for (int p = 0; p < 784; p++) {
          values[p + 1] = image[p] & 0xFF;
        }
        rows.add(RowFactory.create(values));
      }
    }
    Path table = data.resolve("new-table");
    spark
        .createDataFrame(rows, schema)
        .drop("name")
        .coalesce(1)
        .write()
        .parquet(table.toUri().toString());

    // The same images scored from the prepared test split: the table's pixels must decode to the
    // same inputs, hence the same predictions.
    Nightjar.infer(spark, config("split")).execute();
    java.util.Map<Integer, Integer> fromSplit = new java.util.HashMap<>();
    for (Row r : Published.table(spark, output, "predictions").collectAsList()) {
      fromSplit.put(
          Integer.parseInt(r.getString(r.fieldIndex("id")).replaceAll(".*-", "")),
          r.getInt(r.fieldIndex("predicted_label")));
    }

    NightjarConfig config =
        config("table", "infer.input=" + table.toUri(), "infer.input-format=parquet");
    Nightjar.infer(spark, config).execute();
    Dataset<Row> predictions = Published.table(spark, output, "predictions");
    assertThat(predictions.count()).isEqualTo(150);
    assertThat(predictions.where("label is null").count()).isEqualTo(150);
    for (Row r : predictions.collectAsList()) {
      // Ids are the file name and the row: rows follow the file's order, which is the test file's.
      int row = Integer.parseInt(r.getString(r.fieldIndex("id")).replaceAll(".*:", ""));
      assertThat(r.getInt(r.fieldIndex("predicted_label")))
          .as("row %d", row)
          .isEqualTo(fromSplit.get(row));
    }
  }
}
