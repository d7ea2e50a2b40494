package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.IdxReader;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.SparkTestSession;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CSV and Parquet tables: pixel columns or encoded images, class indices or class names. */
@ExtendWith(SparkTestSession.class)
class TablePrepareTest {
  private static final int ROWS = 400;
  @TempDir Path dir;

  private static List<byte[]> images(List<Integer> labels) throws Exception {
    List<byte[]> images = new ArrayList<>();
    try (IdxReader pixels = IdxReader.open(FashionMnist.dir() + "/train-images-idx3-ubyte.gz", new Configuration());
         IdxReader classes = IdxReader.open(FashionMnist.dir() + "/train-labels-idx1-ubyte.gz", new Configuration())) {
      for (int i = 0; i < ROWS; i++) {
        byte[] image = new byte[784];
        byte[] label = new byte[1];
        pixels.readRecord(image);
        classes.readRecord(label);
        images.add(image);
        labels.add((int) label[0]);
      }
    }
    return images;
  }

  @Test
  void kaggleStyleCsvWithPixelColumnsAndTwoBadLines(SparkSession spark) throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    Path csv = Files.createDirectories(dir.resolve("csv")).resolve("fashion-mnist_train.csv");
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      StringBuilder header = new StringBuilder("label");
      for (int p = 1; p <= 784; p++) {
        header.append(",pixel").append(p);
      }
      out.println(header);
      for (int i = 0; i < ROWS; i++) {
        StringBuilder line = new StringBuilder().append(labels.get(i));
        for (byte b : images.get(i)) {
          line.append(',').append(b & 0xFF);
        }
        out.println(line);
        if (i == 100) {
          out.println("3,1,2,3");
        }
        if (i == 200) {
          out.println("4" + ",abc".repeat(784));
        }
      }
    }
    PrepareResult result = Nightjar.prepare(spark, ConfigLoader.fromOverrides(
        "output-root=" + dir.resolve("out").toUri(), "run-date=2026-02-20", "run-id=csv",
        "data.format=csv", "data.source=" + csv.getParent().toUri(), "prepare.partitions=2")).execute();
    DataManifest manifest = result.manifest();
    assertThat(result.examples()).isEqualTo(ROWS);
    assertThat(result.quarantined()).isEqualTo(2);
    assertThat(manifest.classNames()).hasSize(10).startsWith("T-shirt/top");
    List<Row> quarantine = spark.read().parquet(dir.resolve("out/quarantine").toUri().toString()).orderBy("reason").collectAsList();
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("reason"))).isEqualTo("has 4 fields, the header has 785");
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("location"))).matches("byte \\d+");
    assertThat(quarantine.get(1).getString(quarantine.get(1).fieldIndex("reason"))).isEqualTo("pixel 0 = 'abc' is not a number");
    // The pixels survive the trip: the table's first example equals the IDX record it was written from.
    Row first = spark.read().parquet(dir.resolve("out/prepared/run_date=2026-02-20/examples").toUri().toString())
        .where("id = 'fashion-mnist_train.csv:" + (csv.toFile().length() > 0 ? firstLineOffset(csv) : 0) + "'").first();
    assertThat((byte[]) first.get(first.fieldIndex("pixels"))).isEqualTo(images.get(0));
  }

  private static long firstLineOffset(Path csv) throws Exception {
    return Files.readAllLines(csv).get(0).length() + 1;
  }

  @Test
  void parquetWithEncodedImagesAndClassNames(SparkSession spark) throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(RowFactory.create(ImageFolders.CLASSES.get(labels.get(i)), ImageFolders.encode(images.get(i), 56, "png")));
    }
    rows.add(RowFactory.create("Coat", new byte[] {1, 2, 3}));
    StructType schema = new StructType().add("category", DataTypes.StringType).add("png", DataTypes.BinaryType);
    Path parquet = dir.resolve("parquet");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet.toString());
    PrepareResult result = Nightjar.prepare(spark, ConfigLoader.fromOverrides(
        "output-root=" + dir.resolve("out2").toUri(), "run-date=2026-02-21", "run-id=parquet",
        "data.format=parquet", "data.source=" + parquet.toUri(), "data.label-column=category",
        "data.image-column=png", "prepare.partitions=2")).execute();
    assertThat(result.examples()).isEqualTo(ROWS);
    assertThat(result.quarantined()).isEqualTo(1);
    assertThat(result.manifest().classNames()).isEqualTo(ImageFolders.CLASSES.stream().sorted().toList());
  }
}
