package dev.nightjar.infer;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code predictions} table, partitioned by {@code run_date}: one row per input example.
 * {@code label} is the true label where the input has one, null for unlabelled data.
 */
public final class PredictionTable {
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, true)
      .add("predicted_label", DataTypes.IntegerType, false)
      .add("probability", DataTypes.DoubleType, false)
      .add("model_version", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private PredictionTable() {}
}
