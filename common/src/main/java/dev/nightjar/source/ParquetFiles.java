package dev.nightjar.source;

import dev.nightjar.io.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Parquet files read as untrusted input. A file whose footer (its schema and row groups) cannot be
 * read is refused on the driver before Spark plans the scan; one whose pages fail while a task
 * reads them fails the task with an {@link InputException} naming the file, which the job reports
 * as bad input, rather than with Spark's scan error. The pages are decoded by Parquet's record
 * reader, not Spark's vectorized one (see {@link #readingSession}).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * A session of {@code spark}'s context and SQL settings for reading untrusted Parquet, with
   * Spark's vectorized Parquet reader turned off. On a data page whose definition levels are
   * damaged (an RLE run of length 0 where the page's levels begin) that reader (Spark 3.5) keeps
   * its task busy in {@code VectorizedColumnReader.readBatch} without end, with no error and no
   * timeout to end it; {@code ParquetFuzzTest} keeps such a page as a case. Parquet's record reader
   * reads a page no further than the value count in its header, or fails, which {@link #readable}
   * names. Row-by-row decoding is slower than the vectorized reader's batches.
   */
  static SparkSession readingSession(SparkSession spark) {
    SparkSession reading = spark.newSession();
    for (Map.Entry<String, String> setting :
        JavaConverters.mapAsJavaMap(spark.conf().getAll()).entrySet()) {
      if (setting.getKey().startsWith("spark.sql.")
          && spark.conf().isModifiable(setting.getKey())) {
        reading.conf().set(setting.getKey(), setting.getValue());
      }
    }
    reading.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    return reading;
  }

  /** Reads the file's footer; refuses a file that has none that Parquet can read. */
  static void checkFooter(Path file, Configuration conf) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      reader.getFooter();
    } catch (IOException | RuntimeException e) {
      throw new InputException(file + ": not a readable Parquet file: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of a Parquet scan; a failure to read them names the file being read (or {@code
   * source}, when Spark has not said which).
   */
  static <T> JavaRDD<T> readable(JavaRDD<T> rows, String source) {
    return rows.mapPartitions(partition -> new Readable<>(partition, source));
  }

  private static final class Readable<T> implements Iterator<T> {
    private final Iterator<T> rows;
    private final String source;

    Readable(Iterator<T> rows, String source) {
      this.rows = rows;
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      try {
        return rows.hasNext();
      } catch (Exception e) {
        throw refused(e);
      }
    }

    @Override
    public T next() {
      try {
        return rows.next();
      } catch (Exception e) {
        throw refused(e);
      }
    }

    private RuntimeException refused(Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TaskKilledException
            || t instanceof InterruptedException
            || t instanceof InterruptedIOException
            || t instanceof ClosedByInterruptException
            || t instanceof InputException) {
          return e instanceof RuntimeException runtime ? runtime : new RuntimeException(e);
        }
      }
      String file = InputFileBlockHolder.getInputFilePath().toString();
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return new InputException(
          (file.isEmpty() ? source : file)
              + ": not a readable Parquet file: "
              + root.getClass().getSimpleName()
              + ": "
              + root.getMessage(),
          e);
    }
  }
}
