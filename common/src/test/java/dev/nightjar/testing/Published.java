package dev.nightjar.testing;

import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.table.PublishedTables;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What readers see under a local output root: outputs resolved through their commit records. */
public final class Published {
  private Published() {}

  /**
   * The file or folder readers find for {@code relative} (e.g. {@code
   * models/run_date=2026-01-15/model.zip}) under {@code root}.
   */
  public static java.nio.file.Path path(java.nio.file.Path root, String relative) {
    org.apache.hadoop.fs.Path resolved =
        PublishedOutputs.resolve(
            new Configuration(),
            new org.apache.hadoop.fs.Path(root.toUri()),
            new org.apache.hadoop.fs.Path(root.resolve(relative).toUri()));
    return java.nio.file.Path.of(resolved.toUri());
  }

  /** {@link #path} as a URI string, for Spark's readers. */
  public static String uri(java.nio.file.Path root, String relative) {
    return path(root, relative).toUri().toString();
  }

  /** The table {@code name} (every run date's published version) under {@code root}. */
  public static Dataset<Row> table(SparkSession spark, String root, String name) {
    return PublishedTables.read(spark, root, name)
        .orElseThrow(() -> new AssertionError("no table " + name + " under " + root));
  }

  /** {@link #table(SparkSession, String, String)} under a local root. */
  public static Dataset<Row> table(SparkSession spark, java.nio.file.Path root, String name) {
    return table(spark, root.toUri().toString(), name);
  }
}
