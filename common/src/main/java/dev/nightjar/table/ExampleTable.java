package dev.nightjar.table;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import dev.nightjar.data.Example;

/**
 * The Parquet table of prepared examples ({@code examples/split=...}), which inference and
 * notebooks read by id. Pixels are stored raw (8-bit, channel-major) and scaled where they are used.
 */
public final class ExampleTable {
  public static final String DIR = "examples";
  public static final String ID = "id";
  public static final String LABEL = "label";
  public static final String PIXELS = "pixels";
  public static final String SPLIT = "split";

  public static final StructType SCHEMA = new StructType()
      .add(ID, DataTypes.StringType, false)
      .add(LABEL, DataTypes.IntegerType, true)
      .add(PIXELS, DataTypes.BinaryType, false)
      .add(SPLIT, DataTypes.StringType, false);

  private ExampleTable() {}

  public static Row toRow(Example example) {
    return RowFactory.create(example.id(), example.label(), example.pixels(), example.split().label());
  }
}
