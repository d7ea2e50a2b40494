package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.data.DataManifest;
import dev.nightjar.io.IdxReader;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
    try (IdxReader pixels =
            IdxReader.open(
                FashionMnist.dir() + "/train-images-idx3-ubyte.gz", new Configuration());
        IdxReader classes =
            IdxReader.open(
                FashionMnist.dir() + "/train-labels-idx1-ubyte.gz", new Configuration())) {
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
    PrepareResult result =
        Nightjar.prepare(
                spark,
                ConfigLoader.fromOverrides(
                    "output-root=" + dir.resolve("out").toUri(),
                    "run-date=2026-02-20",
                    "run-id=csv",
                    "data.format=csv",
                    "data.source=" + csv.getParent().toUri(),
                    "prepare.partitions=2"))
            .execute();
    DataManifest manifest = result.manifest();
    assertThat(result.examples()).isEqualTo(ROWS);
    assertThat(result.quarantined()).isEqualTo(2);
    assertThat(manifest.classNames()).hasSize(10).startsWith("T-shirt/top");
    List<Row> quarantine =
        Published.table(spark, dir.resolve("out"), "quarantine").orderBy("reason").collectAsList();
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("reason")))
        .isEqualTo("has 4 fields, the header has 785");
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("location")))
        .isEqualTo("record 102 (line 103)");
    assertThat(quarantine.get(1).getString(quarantine.get(1).fieldIndex("reason")))
        .isEqualTo("pixel 0 = 'abc' is not a number");
    assertThat(quarantine.get(1).getString(quarantine.get(1).fieldIndex("location")))
        .isEqualTo("record 203 (line 204)");
    // The pixels survive the trip: the table's first example equals the IDX record it was written
    // from.
    Row first =
        spark
            .read()
            .parquet(Published.uri(dir.resolve("out"), "prepared/run_date=2026-02-20/examples"))
            .where("id = 'fashion-mnist_train.csv:1'")
            .first();
    assertThat((byte[]) first.get(first.fieldIndex("pixels"))).isEqualTo(images.get(0));
  }

  /**
   * A CSV written by a spreadsheet: a byte-order mark, CRLF line ends, quoted header names, and
   * quoted fields holding commas, doubled quotes and line breaks, a class name with a comma among
   * them.
   */
  @Test
  void csvWithQuotedFieldsLineBreaksBomAndCrlf(SparkSession spark) throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    List<String> classes = List.of("Coat, long", "T-shirt", "Trouser \"wide\"");
    String[] notes = {"plain", "\"a, b\"", "\"she said \"\"hi\"\"\"", "\"one\r\ntwo\nthree\"", ""};
    StringBuilder csv = new StringBuilder("\uFEFF\"id\",\"note\",\"label\",\"png\"\r\n");
    int line = 2;
    int badLine = 0;
    int rows = 40;
    for (int i = 0; i < rows; i++) {
      String note = notes[i % notes.length];
      String label = classes.get(i % classes.size());
      String quotedLabel = "\"" + label.replace("\"", "\"\"") + "\"";
      csv.append(i)
          .append(',')
          .append(note)
          .append(',')
          .append(quotedLabel)
          .append(',')
          .append(Base64.getEncoder().encodeToString(ImageFolders.encode(images.get(i), 28, "png")))
          .append("\r\n");
      line += 1 + (int) note.chars().filter(c -> c == '\n').count();
      if (i == 20) {
        badLine = line;
        csv.append("20b,\"two\nlines\",only three fields\r\n");
        line += 2;
      }
    }
    Path file = Files.createDirectories(dir.resolve("quoted")).resolve("table.csv");
    Files.write(file, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    PrepareResult result =
        Nightjar.prepare(
                spark,
                ConfigLoader.fromOverrides(
                    "output-root=" + dir.resolve("out3").toUri(),
                    "run-date=2026-02-22",
                    "run-id=quoted",
                    "data.format=csv",
                    "data.source=" + file.toUri(),
                    "data.image-column=png",
                    "prepare.partitions=2",
                    "prepare.max-quarantine-fraction=0.05"))
            .execute();
    assertThat(result.examples()).isEqualTo(rows);
    assertThat(result.quarantined()).isEqualTo(1);
    assertThat(result.manifest().classNames()).isEqualTo(classes);
    Row bad = Published.table(spark, dir.resolve("out3"), "quarantine").first();
    assertThat(bad.getString(bad.fieldIndex("location")))
        .isEqualTo("record 22 (line " + badLine + ")");
    assertThat(bad.getString(bad.fieldIndex("reason"))).isEqualTo("has 3 fields, the header has 4");
    // Record 4 spans three lines; its pixels and class survive, and so do those of every record
    // after it.
    List<Row> examples =
        spark
            .read()
            .parquet(Published.uri(dir.resolve("out3"), "prepared/run_date=2026-02-22/examples"))
            .where("id in ('table.csv:4', 'table.csv:41')")
            .orderBy("id")
            .collectAsList();
    assertThat(examples).hasSize(2);
    assertThat((byte[]) examples.get(0).get(examples.get(0).fieldIndex("pixels")))
        .isEqualTo(images.get(3));
    assertThat(examples.get(0).getInt(examples.get(0).fieldIndex("label"))).isEqualTo(0);
    assertThat((byte[]) examples.get(1).get(examples.get(1).fieldIndex("pixels")))
        .isEqualTo(images.get(39));
  }

  @Test
  void parquetWithEncodedImagesAndClassNames(SparkSession spark) throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(
          RowFactory.create(
              ImageFolders.CLASSES.get(labels.get(i)),
              ImageFolders.encode(images.get(i), 56, "png")));
    }
    rows.add(RowFactory.create("Coat", new byte[] {1, 2, 3}));
    StructType schema =
        new StructType().add("category", DataTypes.StringType).add("png", DataTypes.BinaryType);
    Path parquet = dir.resolve("parquet");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet.toString());
    PrepareResult result =
        Nightjar.prepare(
                spark,
                ConfigLoader.fromOverrides(
                    "output-root=" + dir.resolve("out2").toUri(),
                    "run-date=2026-02-21",
                    "run-id=parquet",
                    "data.format=parquet",
                    "data.source=" + parquet.toUri(),
                    "data.label-column=category",
                    "data.image-column=png",
                    "prepare.partitions=2"))
            .execute();
    assertThat(result.examples()).isEqualTo(ROWS);
    assertThat(result.quarantined()).isEqualTo(1);
    assertThat(result.manifest().classNames())
        .isEqualTo(ImageFolders.CLASSES.stream().sorted().toList());
  }

  @Test
  void aParquetImageCellOverTheLimitIsQuarantinedUnread(SparkSession spark) throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(RowFactory.create(labels.get(i), ImageFolders.encode(images.get(i), 28, "png")));
    }
    byte[] huge = new byte[300_000];
    new java.util.Random(1).nextBytes(huge);
    rows.add(RowFactory.create(4, huge));
    StructType schema =
        new StructType().add("label", DataTypes.IntegerType).add("png", DataTypes.BinaryType);
    Path parquet = dir.resolve("capped");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet.toString());
    PrepareResult result =
        Nightjar.prepare(
                spark,
                ConfigLoader.fromOverrides(
                    "output-root=" + dir.resolve("out4").toUri(),
                    "run-date=2026-02-23",
                    "run-id=capped",
                    "data.format=parquet",
                    "data.source=" + parquet.toUri(),
                    "data.image-column=png",
                    "prepare.image.max-bytes=100000",
                    "prepare.partitions=2",
                    "prepare.max-quarantine-fraction=0.05"))
            .execute();
    assertThat(result.examples()).isEqualTo(60);
    assertThat(result.quarantined()).isEqualTo(1);
    Row bad = Published.table(spark, dir.resolve("out4"), "quarantine").first();
    assertThat(bad.getString(bad.fieldIndex("reason")))
        .isEqualTo(
            "image of 300000 bytes is over the limit of 100000 (nightjar.prepare.image.max-bytes)");
    assertThat(bad.getString(bad.fieldIndex("location"))).isEqualTo("row 60");
  }

  /**
   * Parquet ids are the file and the row's position in it: the same rows keep their ids, and so
   * their splits, when Spark reads the files in more pieces (as on a larger cluster) and when
   * another file is added.
   */
  @Test
  void parquetIdsStayWithTheirRowsAcrossReadSplitsAndAddedFiles(SparkSession spark)
      throws Exception {
    List<Integer> labels = new ArrayList<>();
    List<byte[]> images = images(labels);
    Path source = Files.createDirectories(dir.resolve("stable"));
    writeParquetFile(spark, source.resolve("b.parquet"), labels, images, 0, 150);
    writeParquetFile(spark, source.resolve("c.parquet"), labels, images, 150, 300);
    java.util.Map<String, String> first = preparedById(spark, source, "stable1");
    assertThat(first).hasSize(300).containsKey("b.parquet:0").containsKey("c.parquet:149");

    spark.conf().set("spark.sql.files.maxPartitionBytes", "8192");
    java.util.Map<String, String> moreSplits;
    try {
      moreSplits = preparedById(spark, source, "stable2");
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
    assertThat(moreSplits).isEqualTo(first);

    writeParquetFile(spark, source.resolve("a.parquet"), labels, images, 300, 400);
    java.util.Map<String, String> added = preparedById(spark, source, "stable3");
    assertThat(added).hasSize(400).containsAllEntriesOf(first);
  }

  /**
   * Rows {@code from} to {@code to} as one Parquet file of small row groups, so Spark can split it.
   */
  private static void writeParquetFile(
      SparkSession spark, Path file, List<Integer> labels, List<byte[]> images, int from, int to)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(RowFactory.create(labels.get(i), ImageFolders.encode(images.get(i), 28, "png")));
    }
    StructType schema =
        new StructType().add("label", DataTypes.IntegerType).add("png", DataTypes.BinaryType);
    Path written = file.resolveSibling(file.getFileName() + ".dir");
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .option("parquet.block.size", "4096")
        .parquet(written.toString());
    try (java.util.stream.Stream<Path> parts = Files.list(written)) {
      Files.move(
          parts
              .filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .findFirst()
              .orElseThrow(),
          file);
    }
    try (java.util.stream.Stream<Path> rest = Files.walk(written)) {
      rest.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Each prepared example's split, label and a hash of its pixels, by its id. */
  private java.util.Map<String, String> preparedById(SparkSession spark, Path source, String run) {
    Path output = dir.resolve("out-" + run);
    Nightjar.prepare(
            spark,
            ConfigLoader.fromOverrides(
                "output-root=" + output.toUri(),
                "run-date=2026-02-24",
                "run-id=" + run,
                "data.format=parquet",
                "data.source=" + source.toUri(),
                "data.image-column=png",
                "prepare.partitions=2"))
        .execute();
    java.util.Map<String, String> byId = new java.util.HashMap<>();
    for (Row row :
        spark
            .read()
            .parquet(
                Published.path(output, "prepared/run_date=2026-02-24/examples").toUri().toString())
            .selectExpr("id", "split", "label", "pixels")
            .collectAsList()) {
      byId.put(
          row.getString(0),
          row.getString(1)
              + " "
              + row.getInt(2)
              + " "
              + java.util.Arrays.hashCode((byte[]) row.get(3)));
    }
    return byId;
  }
}
