package dev.nightjar.table;

import static org.apache.spark.sql.functions.col;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.data.Example;
import dev.nightjar.data.Split;
import dev.nightjar.io.HadoopPaths;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet table of prepared examples ({@code examples/split=...}), which inference and
 * notebooks read by id. Pixels are stored raw (8-bit, channel-major) and scaled where they are
 * used.
 */
public final class ExampleTable {
  public static final String DIR = "examples";
  public static final String ID = "id";
  public static final String LABEL = "label";
  public static final String PIXELS = "pixels";
  public static final String SPLIT = "split";

  public static final StructType SCHEMA =
      new StructType()
          .add(ID, DataTypes.StringType, false)
          .add(LABEL, DataTypes.IntegerType, true)
          .add(PIXELS, DataTypes.BinaryType, false)
          .add(SPLIT, DataTypes.StringType, false);

  private ExampleTable() {}

  public static Row toRow(Example example) {
    return RowFactory.create(
        example.id(), example.label(), example.pixels(), example.split().label());
  }

  /** The rows of one split of a prepared folder's table: {@code id, label, pixels}. */
  public static Dataset<Row> split(SparkSession spark, Path preparedDir, Split split) {
    Path examplesDir = new Path(preparedDir, DIR);
    if (!HadoopPaths.exists(examplesDir, spark.sparkContext().hadoopConfiguration())) {
      throw new ConfigException(
          examplesDir
              + " not found: the infer stage reads the examples table, "
              + "which prepare writes with "
              + ConfigKeys.PREPARE_EXAMPLES_TABLE
              + " = with-pixels");
    }
    Dataset<Row> examples = spark.read().parquet(examplesDir.toString());
    if (!Arrays.asList(examples.columns()).contains(PIXELS)) {
      throw new ConfigException(
          examplesDir
              + " has no pixels: prepare it with "
              + ConfigKeys.PREPARE_EXAMPLES_TABLE
              + " = with-pixels to run the infer stage on it");
    }
    return examples.where(col(SPLIT).equalTo(split.label())).select(ID, LABEL, PIXELS);
  }
}
