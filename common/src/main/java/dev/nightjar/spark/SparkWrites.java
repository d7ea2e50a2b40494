package dev.nightjar.spark;

import dev.nightjar.io.OutputWriteException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Spark jobs that write into an output folder. When the file system refuses a write (a quota,
 * permissions, a full disk) they fail with an {@link OutputWriteException} naming the path and the
 * reason, not with Spark's job abort message.
 */
public final class SparkWrites {
  private SparkWrites() {}

  /** Writes {@code table} as Parquet files into {@code dir}, replacing what is there. */
  public static void parquet(DataFrameWriter<Row> table, Path dir) {
    into(
        dir,
        () -> {
          table.mode(SaveMode.Overwrite).parquet(dir.toString());
          return null;
        });
  }

  /** Runs {@code job}, whose tasks write below {@code dir}, and returns its result. */
  public static <T> T into(Path dir, Supplier<T> job) {
    try {
      return job.get();
    } catch (Exception e) {
      // Spark throws its SparkException (checked in Java) from Scala code without declaring it.
      Optional<OutputWriteException> refused = OutputWriteException.find(dir, e);
      if (refused.isPresent()) {
        throw refused.get();
      }
      throw e;
    }
  }
}
