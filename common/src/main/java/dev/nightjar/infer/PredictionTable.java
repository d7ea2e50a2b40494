package dev.nightjar.infer;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code predictions} table, partitioned by {@code run_date}: one row per input example. {@code
 * label} is the true label where the input has one, null for unlabelled data; {@code top_k} is null
 * unless {@code infer.top-k} asks for it.
 */
public final class PredictionTable {
  public static final StructType RANKED_CLASS =
      new StructType()
          .add("label", DataTypes.IntegerType, false)
          .add("probability", DataTypes.DoubleType, false);

  public static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("label", DataTypes.IntegerType, true)
          .add("predicted_label", DataTypes.IntegerType, false)
          .add("probability", DataTypes.DoubleType, false)
          .add("top_k", DataTypes.createArrayType(RANKED_CLASS, false), true)
          .add("model_version", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, false);

  private PredictionTable() {}
}
