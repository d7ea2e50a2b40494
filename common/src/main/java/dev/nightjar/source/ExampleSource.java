package dev.nightjar.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** A data set the prepare stage can read: IDX files, image folders, CSV or Parquet tables. */
public interface ExampleSource {
  /**
   * Checks, without Spark, that the inputs exist; a missing one fails with a ConfigException naming
   * its path.
   */
  void checkInputs(Configuration hadoopConf);

  /**
   * The source's records, decoded lazily on the executors in about {@code partitions} partitions,
   * each of which sees every class. Bad records come out as rejections, not failures.
   */
  LoadedSource load(SparkSession spark, int partitions);
}
