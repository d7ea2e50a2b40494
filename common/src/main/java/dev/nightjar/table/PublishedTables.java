package dev.nightjar.table;

import dev.nightjar.io.PublishedOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A table under an output root ({@code predictions}, {@code metrics}, {@code runs}, …) as Spark
 * reads it: every run date's published version, with the partition columns of its folders ({@code
 * run_date}, and {@code stage} for {@code metrics} and {@code runs}). Reading the table's folder
 * directly would see none of the versions, which live in hidden folders.
 */
public final class PublishedTables {
  private PublishedTables() {}

  /** The table {@code name} under {@code root}, or empty when no run date has it. */
  public static Optional<Dataset<Row>> read(SparkSession spark, String root, String name) {
    return read(spark, new Path(root), name, name);
  }

  /**
   * The partition {@code run_date=date} of the table {@code name}, without the {@code run_date}
   * column, or empty when that date has none.
   */
  public static Optional<Dataset<Row>> read(
      SparkSession spark, String root, String name, LocalDate date) {
    return read(spark, new Path(root), name, name + "/run_date=" + date);
  }

  private static Optional<Dataset<Row>> read(
      SparkSession spark, Path root, String name, String base) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String[] folders =
        PublishedOutputs.partitions(conf, root, name).entrySet().stream()
            .filter(e -> e.getKey().equals(base) || e.getKey().startsWith(base + "/"))
            .map(e -> e.getValue().toString())
            .toArray(String[]::new);
    if (folders.length == 0) {
      return Optional.empty();
    }
    try {
      Path basePath = new Path(root, base);
      FileSystem fs = basePath.getFileSystem(conf);
      return Optional.of(
          spark
              .read()
              // Partition values come from the folders between the base and each version.
              .option("basePath", fs.makeQualified(basePath).toString())
              .parquet(folders));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
