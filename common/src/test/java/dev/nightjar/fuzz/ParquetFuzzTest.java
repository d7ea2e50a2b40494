package dev.nightjar.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.io.InputException;
import dev.nightjar.source.SourceMode;
import dev.nightjar.source.TableSource;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.testing.ImageFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Damaged Parquet tables read by the prepare stage's table source on local Spark: a valid file of
 * PNG images in small row groups, cut short, with bytes flipped, inserted or removed, or a huge
 * size written into it. Every row that is read comes out as an example or a quarantined rejection
 * with its reason; a file that cannot be read is refused as one {@link InputException} naming it
 * (or, when the damage renames a column the settings name, a {@link ConfigException} naming it).
 */
class ParquetFuzzTest {
  private static final int ROWS = 40;
  private static SparkSession spark;
  private static byte[] valid;
  private static Path dir;
  private static final Duration BOUND = Duration.ofMinutes(3);

  @BeforeContainer
  static void writeAValidTable() throws IOException {
    spark =
        SparkSession.builder()
            .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
            .master("local[2]")
            .appName("nightjar-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    dir = Files.createTempDirectory("parquet-fuzz");
    dir.toFile().deleteOnExit();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      byte[] pixels = new byte[28 * 28];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) (p * (i + 1));
      }
      rows.add(RowFactory.create(i % 3, ImageFolders.encode(pixels, 28, "png")));
    }
    StructType schema =
        new StructType().add("label", DataTypes.IntegerType).add("png", DataTypes.BinaryType);
    Path written = dir.resolve("valid");
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .option("parquet.block.size", "4096")
        .parquet(written.toString());
    try (Stream<Path> parts = Files.list(written)) {
      valid =
          Files.readAllBytes(
              parts
                  .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                  .findFirst()
                  .orElseThrow());
    }
  }

  // A fixed seed: every build reads the same 30 damaged tables.
  @Property(tries = 30, seed = "20261203")
  void aDamagedParquetTableIsReadOrRefusedNamingTheFile(
      @ForAll("damage") List<ModelFileFuzzTest.Damage> damage) throws Exception {
    Statistics.collect(readOrRefused(damage));
  }

  /**
   * Eight zero bytes over the label column's first data page: its definition levels become an RLE
   * run of length 0, on which Spark's vectorized Parquet reader spins without end (a sample of a
   * random seed found it).
   */
  @Example
  void aPageWhoseDefinitionLevelsRunOutIsReadOrRefused() throws Exception {
    readOrRefused(List.of(new ModelFileFuzzTest.Damage(4, 1.0, true, 0, 2)));
  }

  /**
   * Reads the damaged table within {@link #BOUND}; a read still running then fails the try rather
   * than stalling the build. Its jobs are cancelled, but a task spinning in a loop that never
   * checks for cancellation keeps its thread busy until the JVM ends. jqwik's shrinking is bounded
   * in time (10 s by default), so a failing try is shrunk for at most one more bound.
   */
  private static String readOrRefused(List<ModelFileFuzzTest.Damage> damage) throws Exception {
    Path source = Files.createTempDirectory(dir, "source");
    Path file = source.resolve("table.parquet");
    Files.write(file, ModelFileFuzzTest.Damage.applyAll(valid, damage));
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> read(source));
    try {
      return read.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      spark.sparkContext().cancelAllJobs();
      throw new AssertionError("still reading " + damage + " after " + BOUND, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
    }
  }

  /** Reads the table at {@code source}; what came of it, for the statistics. */
  private static String read(Path source) {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "data.format=parquet",
            "data.source=" + source.toUri(),
            "data.image-column=png",
            "prepare.partitions=2");
    try {
      List<Decoded> records =
          new TableSource(config.data(), config.prepare(), SourceMode.TRAINING)
              .load(spark, 2)
              .records()
              .collect();
      assertThat(records.size()).isLessThanOrEqualTo(ROWS);
      for (Decoded record : records) {
        if (!record.isExample()) {
          assertThat(record.rejection().reason()).isNotBlank();
          assertThat(record.rejection().source()).contains("table.parquet");
        }
      }
      return records.isEmpty() ? "read, no rows" : "read";
    } catch (InputException e) {
      assertThat(e.getMessage()).contains("table.parquet");
      return "refused";
    } catch (ConfigException e) {
      assertThat(e.getMessage()).contains("table.parquet");
      return "refused (settings)";
    } catch (Exception e) {
      // Spark's job failure (a SparkException, checked yet undeclared); a task's refusal reaches
      // the driver inside Spark's job failure; the jobs report the first
      // InputException of the chain.
      InputException refusal = inputException(e);
      assertThat(refusal).as("an InputException in the chain of %s", e).isNotNull();
      assertThat(refusal.getMessage()).contains("table.parquet");
      return "refused in a task";
    }
  }

  private static InputException inputException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException input) {
        return input;
      }
    }
    return null;
  }

  @Provide
  Arbitrary<List<ModelFileFuzzTest.Damage>> damage() {
    return ModelFileFuzzTest.Damage.arbitrary().list().ofMinSize(1).ofMaxSize(2);
  }
}
