package dev.nightjar.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.source.image.ImageDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * A CSV or Parquet table with one example per row. Large inputs are split by Hadoop and Spark
 * themselves (CSV by byte ranges, Parquet by row groups); the decoded records are then spread
 * over the requested partitions, so every partition sees every class. CSV rows are located by
 * their byte offset in the file; Parquet rows by file and row.
 */
public final class TableSource implements ExampleSource {
  private static final String FILE = "_nightjar_file";
  private static final String ROW = "_nightjar_row";

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
    Table table = data.format() == DataConfig.Format.CSV ? csv(spark, files) : parquet(spark, files);
    JavaRDD<Decoded> records = table.records();
    records = records.getNumPartitions() > partitions ? records.coalesce(partitions) : records.repartition(partitions);
    return new LoadedSource(records, prepare.image().shape(), table.classes().names(),
        files.stream().map(Path::toString).toList());
  }

  /** A table's decoded rows and its classes. */
  private record Table(JavaRDD<Decoded> records, Classes classes) {}

  /** The classes of a table: label value to class index, and the class names in index order. */
  private record Classes(Map<String, Integer> index, List<String> names) {}

  private Table csv(SparkSession spark, List<Path> files) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<String> header = csvHeader(files.get(0), hadoopConf);
    int labelIndex = labelsOptional() && !header.contains(data.labelColumn()) ? -1
        : columnIndex(header, data.labelColumn(), ConfigKeys.DATA_LABEL_COLUMN, files.get(0));
    int imageIndex = data.imageColumn().isBlank() ? -1
        : columnIndex(header, data.imageColumn(), ConfigKeys.DATA_IMAGE_COLUMN, files.get(0));
    String headerLine = String.join(",", header);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String paths = String.join(",", files.stream().map(Path::toString).toList());
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>)
        jsc.newAPIHadoopFile(paths, TextInputFormat.class, LongWritable.class, Text.class, hadoopConf);
    JavaRDD<String[]> labelled = lines.map(line -> line._2().toString())
        .filter(line -> !line.isBlank() && !line.equals(headerLine))
        .map(line -> line.split(",", -1));
    Classes classes = labelsOptional() ? modelClasses()
        : classes(labelled.map(fields -> fields.length > labelIndex ? fields[labelIndex] : ""));
    TableRowDecoder decoder = rowDecoder(classes.index());
    int columns = header.size();
    return new Table(lines.mapPartitionsWithInputSplit((split, iterator) ->
        csvLines(((FileSplit) split).getPath(), iterator, headerLine, columns, labelIndex, imageIndex, decoder), true),
        classes);
  }

  /** Decodes the lines of one CSV split; static, so the task closure carries no source object. */
  private static Iterator<Decoded> csvLines(Path path, Iterator<Tuple2<LongWritable, Text>> iterator, String headerLine,
      int columns, int labelIndex, int imageIndex, TableRowDecoder decoder) {
    String file = path.toString();
    String name = path.getName();
    return new MappingIterator<Tuple2<LongWritable, Text>>(iterator) {
      @Override
      Decoded map(Tuple2<LongWritable, Text> line) {
        String text = line._2().toString();
        String location = "byte " + line._1().get();
        if (text.isBlank() || text.equals(headerLine)) {
          return null;
        }
        String[] fields = text.split(",", -1);
        if (fields.length != columns) {
          return Decoded.rejected(new dev.nightjar.data.Rejection(file, location,
              "has " + fields.length + " fields, the header has " + columns, 1));
        }
        String id = name + ":" + line._1().get();
        if (imageIndex >= 0) {
          byte[] image;
          try {
            image = Base64.getDecoder().decode(fields[imageIndex].trim());
          } catch (IllegalArgumentException e) {
            return Decoded.rejected(new dev.nightjar.data.Rejection(file, location, "image column is not base64", 1));
          }
          return decoder.decode(file, location, id, labelIndex < 0 ? "" : fields[labelIndex], image, null);
        }
        List<String> values = new ArrayList<>(Arrays.asList(fields));
        if (labelIndex < 0) {
          return decoder.decode(file, location, id, "", null, values);
        }
        values.remove(labelIndex);
        return decoder.decode(file, location, id, fields[labelIndex], null, values);
      }
    };
  }

  private Table parquet(SparkSession spark, List<Path> files) {
    Dataset<Row> table = spark.read().parquet(files.stream().map(Path::toString).toArray(String[]::new));
    List<String> columns = Arrays.asList(table.columns());
    boolean hasLabel = !labelsOptional() || columns.contains(data.labelColumn());
    if (hasLabel) {
      columnIndex(columns, data.labelColumn(), ConfigKeys.DATA_LABEL_COLUMN, files.get(0));
    } else {
      table = table.withColumn(data.labelColumn(), org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType));
    }
    boolean hasImage = !data.imageColumn().isBlank();
    if (hasImage) {
      columnIndex(columns, data.imageColumn(), ConfigKeys.DATA_IMAGE_COLUMN, files.get(0));
    }
    List<String> features = columns.stream()
        .filter(c -> !c.equals(data.labelColumn()) && !c.equals(data.imageColumn())).toList();
    Dataset<Row> rows = table
        .withColumn(FILE, input_file_name())
        .withColumn(ROW, org.apache.spark.sql.functions.monotonically_increasing_id())
        .withColumn(data.labelColumn(), col(data.labelColumn()).cast(DataTypes.StringType));
    Classes classes = labelsOptional() ? modelClasses()
        : classes(rows.select(data.labelColumn()).javaRDD().map(r -> r.isNullAt(0) ? "" : r.getString(0)));
    TableRowDecoder decoder = rowDecoder(classes.index());
    String labelColumn = data.labelColumn();
    String imageColumn = data.imageColumn();
    return new Table(rows.javaRDD().map(row -> {
      String file = row.getString(row.fieldIndex(FILE));
      String location = "row " + row.getLong(row.fieldIndex(ROW));
      String id = new Path(file).getName() + ":" + row.getLong(row.fieldIndex(ROW));
      String label = row.isNullAt(row.fieldIndex(labelColumn)) ? "" : row.getString(row.fieldIndex(labelColumn));
      if (hasImage) {
        int index = row.fieldIndex(imageColumn);
        return decoder.decode(file, location, id, label, row.isNullAt(index) ? new byte[0] : (byte[]) row.get(index), null);
      }
      List<String> values = new ArrayList<>(features.size());
      for (String feature : features) {
        Object value = row.get(row.fieldIndex(feature));
        values.add(value == null ? "" : value.toString());
      }
      return decoder.decode(file, location, id, label, null, values);
    }), classes);
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

  /** The classes: sorted label values, numerically when all are whole numbers; named from config when those are 0..k-1. */
  private Classes classes(JavaRDD<String> labelValues) {
    List<String> distinct = new ArrayList<>(labelValues.map(String::trim).filter(v -> !v.isEmpty()).distinct().collect());
    boolean numeric = distinct.stream().allMatch(v -> v.matches("\\d+"));
    distinct.sort(numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      index.put(distinct.get(i), i);
    }
    boolean zeroBased = numeric && !distinct.isEmpty() && Long.parseLong(distinct.get(distinct.size() - 1)) == distinct.size() - 1;
    List<String> names = zeroBased && data.classNames().size() == distinct.size() ? data.classNames() : List.copyOf(distinct);
    if (names.size() < 2) {
      throw new ConfigException(ConfigKeys.DATA_LABEL_COLUMN + " = " + data.labelColumn() + ": the table has "
          + names.size() + " classes; at least 2 are needed");
    }
    return new Classes(index, names);
  }

  private TableRowDecoder rowDecoder(Map<String, Integer> classIndex) {
    ImageDecoder imageDecoder = new ImageDecoder(prepare.image().channels(), prepare.image().height(),
        prepare.image().width(), prepare.image().maxPixels());
    int pixels = prepare.image().channels() * prepare.image().height() * prepare.image().width();
    return new TableRowDecoder(classIndex, imageDecoder, pixels, data.testFraction(), prepare.validationFraction(),
        prepare.seed(), labelsOptional());
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
          if (status.isFile() && name.endsWith(extension) && !name.startsWith(".") && !name.startsWith("_")) {
            files.add(status.getPath());
          }
        }
      }
      if (files.isEmpty()) {
        throw new ConfigException(ConfigKeys.DATA_SOURCE + ": no " + extension + " files in " + source);
      }
      files.sort(Comparator.comparing(Path::toString));
      return files;
    } catch (IOException e) {
      throw new ConfigException(ConfigKeys.DATA_SOURCE + ": cannot list " + source + ": " + e.getMessage(), e);
    }
  }

  private static List<String> csvHeader(Path file, Configuration hadoopConf) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        file.getFileSystem(hadoopConf).open(file), StandardCharsets.UTF_8))) {
      String first = reader.readLine();
      if (first == null) {
        throw new ConfigException(ConfigKeys.DATA_SOURCE + ": " + file + " is empty; a CSV source needs a header line");
      }
      return Arrays.stream(first.split(",", -1)).map(String::trim).toList();
    } catch (IOException e) {
      throw new ConfigException(ConfigKeys.DATA_SOURCE + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int columnIndex(List<String> columns, String column, String key, Path file) {
    int index = columns.indexOf(column);
    if (index < 0) {
      throw new ConfigException(key + " = " + column + ": no such column in " + file + " (columns: "
          + String.join(", ", columns.subList(0, Math.min(8, columns.size()))) + (columns.size() > 8 ? ", ..." : "") + ")");
    }
    return index;
  }

  /** Maps an iterator lazily, dropping the elements mapped to null. */
  private abstract static class MappingIterator<T> implements Iterator<Decoded> {
    private final Iterator<T> input;
    private Decoded next;

    MappingIterator(Iterator<T> input) {
      this.input = input;
    }

    abstract Decoded map(T element);

    @Override
    public boolean hasNext() {
      while (next == null && input.hasNext()) {
        next = map(input.next());
      }
      return next != null;
    }

    @Override
    public Decoded next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Decoded result = next;
      next = null;
      return result;
    }
  }
}
