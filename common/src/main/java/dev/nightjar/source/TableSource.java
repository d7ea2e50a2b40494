package dev.nightjar.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.when;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.data.Rejection;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.source.image.ImageDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A CSV or Parquet table with one example per row. A CSV file is read by one task, a Parquet file
 * is split by Spark by row groups; the decoded records are then spread over the requested
 * partitions, so every partition sees every class. CSV rows are located by their record and line in
 * the file; Parquet rows by file and row.
 */
public final class TableSource implements ExampleSource {
  private static final String FILE = "_nightjar_file";
  private static final String ROW = "_nightjar_row";
  private static final String IMAGE_BYTES = "_nightjar_image_bytes";

  private final DataConfig data;
  private final PrepareConfig prepare;
  private final SourceMode mode;

  public TableSource(DataConfig data, PrepareConfig prepare, SourceMode mode) {
    this.data = data;
    this.prepare = prepare;
    this.mode = mode;
  }

  @Override
  public void checkInputs(Configuration hadoopConf) {
    inputFiles(hadoopConf);
  }

  @Override
  public LoadedSource load(SparkSession spark, int partitions) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = inputFiles(hadoopConf);
    Table table =
        data.format() == DataConfig.Format.CSV ? csv(spark, files) : parquet(spark, files);
    JavaRDD<Decoded> records = table.records();
    records =
        records.getNumPartitions() > partitions
            ? records.coalesce(partitions)
            : records.repartition(partitions);
    return new LoadedSource(
        records,
        prepare.image().shape(),
        table.classes().names(),
        files.stream().map(Path::toString).toList());
  }

  /** A table's decoded rows and its classes. */
  private record Table(JavaRDD<Decoded> records, Classes classes) {}

  /** The classes of a table: label value to class index, and the class names in index order. */
  private record Classes(Map<String, Integer> index, List<String> names) {}

  /**
   * A CSV file is parsed whole by one task: a quoted value may hold line breaks, so a byte range
   * cannot be parsed without what comes before it.
   */
  private Table csv(SparkSession spark, List<Path> files) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    int maxChars = prepare.maxRecordChars();
    List<String> header = CsvFile.header(files.get(0), hadoopConf, maxChars);
    int labelIndex =
        labelsOptional() && !header.contains(data.labelColumn())
            ? -1
            : columnIndex(header, data.labelColumn(), ConfigKeys.DATA_LABEL_COLUMN, files.get(0));
    int imageIndex =
        data.imageColumn().isBlank()
            ? -1
            : columnIndex(header, data.imageColumn(), ConfigKeys.DATA_IMAGE_COLUMN, files.get(0));
    SerializableHadoopConf conf = SerializableHadoopConf.of(spark.sparkContext());
    List<String> paths = files.stream().map(Path::toString).toList();
    JavaRDD<CsvRow> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(paths, paths.size())
            .flatMap(path -> CsvFile.rows(path, conf.get(), header, maxChars));
    int columns = header.size();
    Classes classes =
        labelsOptional()
            ? modelClasses()
            : classes(
                rows.filter(row -> row.fields() != null && row.fields().length == columns)
                    .map(row -> row.fields()[labelIndex]),
                files.size() == 1 ? files.get(0).toString() : data.source());
    TableRowDecoder decoder = rowDecoder(classes.index());
    return new Table(
        rows.map(row -> csvRow(row, columns, labelIndex, imageIndex, decoder)), classes);
  }

  /** Decodes one CSV record; static, so the task closure carries no source object. */
  static Decoded csvRow(
      CsvRow row, int columns, int labelIndex, int imageIndex, TableRowDecoder decoder) {
    String file = row.file();
    String location = row.location();
    if (row.fields() == null) {
      return Decoded.rejected(new Rejection(file, location, row.problem(), row.records()));
    }
    String[] fields = row.fields();
    if (fields.length != columns) {
      return Decoded.rejected(
          new Rejection(
              file, location, "has " + fields.length + " fields, the header has " + columns, 1));
    }
    String id = new Path(file).getName() + ":" + row.number();
    String label = labelIndex < 0 ? "" : fields[labelIndex];
    if (imageIndex >= 0) {
      byte[] image;
      try {
        image = Base64.getDecoder().decode(withoutWhitespace(fields[imageIndex]));
      } catch (IllegalArgumentException e) {
        return Decoded.rejected(new Rejection(file, location, "image column is not base64", 1));
      }
      return decoder.decode(file, location, id, label, image, null);
    }
    List<String> values = new ArrayList<>(Arrays.asList(fields));
    if (labelIndex >= 0) {
      values.remove(labelIndex);
    }
    return decoder.decode(file, location, id, label, null, values);
  }

  private Table parquet(SparkSession spark, List<Path> files) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    for (Path file : files) {
      ParquetFiles.checkFooter(file, hadoopConf);
    }
    String source = files.size() == 1 ? files.get(0).toString() : data.source();
    Dataset<Row> table =
        ParquetFiles.readingSession(spark)
            .read()
            .parquet(files.stream().map(Path::toString).toArray(String[]::new));
    List<String> columns = Arrays.asList(table.columns());
    if (columns.contains("_metadata")) {
      throw new ConfigException(
          ConfigKeys.DATA_SOURCE
              + ": "
              + files.get(0)
              + " has a column named _metadata,"
              + " which hides Spark's file metadata that names its rows");
    }
    // A row's id is its file and its position in the file (Parquet's hidden row index): the same
    // whatever the read splits, the cluster's size or the other files are. Taken first, while the
    // scan's metadata columns are in reach.
    table =
        table
            .withColumn(FILE, col("_metadata.file_path"))
            .withColumn(ROW, col("_metadata.row_index"));
    boolean hasLabel = !labelsOptional() || columns.contains(data.labelColumn());
    if (hasLabel) {
      columnIndex(columns, data.labelColumn(), ConfigKeys.DATA_LABEL_COLUMN, files.get(0));
    } else {
      table =
          table.withColumn(
              data.labelColumn(),
              org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType));
    }
    boolean hasImage = !data.imageColumn().isBlank();
    if (hasImage) {
      columnIndex(columns, data.imageColumn(), ConfigKeys.DATA_IMAGE_COLUMN, files.get(0));
      DataType type = table.schema().apply(data.imageColumn()).dataType();
      if (!type.equals(DataTypes.BinaryType)) {
        throw new ConfigException(
            ConfigKeys.DATA_IMAGE_COLUMN
                + " = "
                + data.imageColumn()
                + ": the column is "
                + type.simpleString()
                + " in "
                + files.get(0)
                + "; Parquet images must be binary");
      }
    }
    List<String> features =
        columns.stream()
            .filter(c -> !c.equals(data.labelColumn()) && !c.equals(data.imageColumn()))
            .toList();
    Dataset<Row> rows =
        table.withColumn(data.labelColumn(), col(data.labelColumn()).cast(DataTypes.StringType));
    long maxImageBytes = prepare.image().maxBytes();
    if (hasImage) {
      // A cell over the limit is dropped in the scan, so it is never copied into a row or decoded.
      rows =
          rows.withColumn(IMAGE_BYTES, length(col(data.imageColumn())))
              .withColumn(
                  data.imageColumn(),
                  when(col(IMAGE_BYTES).leq(maxImageBytes), col(data.imageColumn())));
    }
    Classes classes =
        labelsOptional()
            ? modelClasses()
            : classes(
                ParquetFiles.readable(rows.select(data.labelColumn()).javaRDD(), source)
                    .map(r -> r.isNullAt(0) ? "" : r.getString(0)),
                source);
    TableRowDecoder decoder = rowDecoder(classes.index());
    String labelColumn = data.labelColumn();
    String imageColumn = data.imageColumn();
    return new Table(
        ParquetFiles.readable(rows.javaRDD(), source)
            .map(
                row -> {
                  String file = row.getString(row.fieldIndex(FILE));
                  String location = "row " + row.getLong(row.fieldIndex(ROW));
                  String id = new Path(file).getName() + ":" + row.getLong(row.fieldIndex(ROW));
                  String label =
                      row.isNullAt(row.fieldIndex(labelColumn))
                          ? ""
                          : row.getString(row.fieldIndex(labelColumn));
                  if (hasImage) {
                    int size = row.fieldIndex(IMAGE_BYTES);
                    if (!row.isNullAt(size) && row.getInt(size) > maxImageBytes) {
                      return Decoded.rejected(
                          new Rejection(
                              file, location, decoder.imageSizeProblem(row.getInt(size)), 1));
                    }
                    int index = row.fieldIndex(imageColumn);
                    return decoder.decode(
                        file,
                        location,
                        id,
                        label,
                        row.isNullAt(index) ? new byte[0] : (byte[]) row.get(index),
                        null);
                  }
                  List<String> values = new ArrayList<>(features.size());
                  for (String feature : features) {
                    Object value = row.get(row.fieldIndex(feature));
                    values.add(value == null ? "" : value.toString());
                  }
                  return decoder.decode(file, location, id, label, null, values);
                }),
        classes);
  }

  /** Base64 as a quoted value may hold it: wrapped in lines, or padded with spaces. */
  private static String withoutWhitespace(String text) {
    StringBuilder kept = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        kept.append(c);
      }
    }
    return kept.toString();
  }

  private boolean labelsOptional() {
    return mode == SourceMode.INFERENCE;
  }

  /** The model's classes, for scoring: a label is a class name or its index. */
  private Classes modelClasses() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < data.classNames().size(); i++) {
      index.put(data.classNames().get(i), i);
      index.put(String.valueOf(i), i);
    }
    return new Classes(index, data.classNames());
  }

  /**
   * The classes: sorted label values, numerically when all are whole numbers; named from config
   * when those are 0..k-1. A table with fewer than 2 is refused naming {@code source}.
   */
  private Classes classes(JavaRDD<String> labelValues, String source) {
    List<String> distinct =
        new ArrayList<>(
            labelValues.map(String::trim).filter(v -> !v.isEmpty()).distinct().collect());
    boolean numeric = distinct.stream().allMatch(v -> v.matches("\\d+"));
    distinct.sort(numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      index.put(distinct.get(i), i);
    }
    boolean zeroBased =
        numeric
            && !distinct.isEmpty()
            && Long.parseLong(distinct.get(distinct.size() - 1)) == distinct.size() - 1;
    List<String> names =
        zeroBased && data.classNames().size() == distinct.size()
            ? data.classNames()
            : List.copyOf(distinct);
    if (names.size() < 2) {
      throw new ConfigException(
          ConfigKeys.DATA_LABEL_COLUMN
              + " = "
              + data.labelColumn()
              + ": "
              + source
              + " has "
              + names.size()
              + " classes; at least 2 are needed");
    }
    return new Classes(index, names);
  }

  private TableRowDecoder rowDecoder(Map<String, Integer> classIndex) {
    ImageDecoder imageDecoder = ImageDecoder.of(prepare.image());
    int pixels = prepare.image().channels() * prepare.image().height() * prepare.image().width();
    return new TableRowDecoder(
        classIndex,
        imageDecoder,
        pixels,
        data.testFraction(),
        prepare.validationFraction(),
        prepare.seed(),
        labelsOptional());
  }

  private List<Path> inputFiles(Configuration hadoopConf) {
    Path source = new Path(data.source());
    String extension = data.format() == DataConfig.Format.CSV ? ".csv" : ".parquet";
    try {
      FileSystem fs = source.getFileSystem(hadoopConf);
      if (!fs.exists(source)) {
        throw new ConfigException(ConfigKeys.DATA_SOURCE + ": input not found: " + source);
      }
      List<Path> files = new ArrayList<>();
      if (fs.isFile(source)) {
        files.add(source);
      } else {
        for (FileStatus status : fs.listStatus(source)) {
          String name = status.getPath().getName();
          if (status.isFile()
              && name.endsWith(extension)
              && !name.startsWith(".")
              && !name.startsWith("_")) {
            files.add(status.getPath());
          }
        }
      }
      if (files.isEmpty()) {
        throw new ConfigException(
            ConfigKeys.DATA_SOURCE + ": no " + extension + " files in " + source);
      }
      files.sort(Comparator.comparing(Path::toString));
      return files;
    } catch (IOException e) {
      throw new ConfigException(
          ConfigKeys.DATA_SOURCE + ": cannot list " + source + ": " + e.getMessage(), e);
    }
  }

  private static int columnIndex(List<String> columns, String column, String key, Path file) {
    int index = columns.indexOf(column);
    if (index < 0) {
      throw new ConfigException(
          key
              + " = "
              + column
              + ": no such column in "
              + file
              + " (columns: "
              + String.join(", ", columns.subList(0, Math.min(8, columns.size())))
              + (columns.size() > 8 ? ", ..." : "")
              + ")");
    }
    return index;
  }
}
