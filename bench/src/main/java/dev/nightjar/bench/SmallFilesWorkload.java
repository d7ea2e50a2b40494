package dev.nightjar.bench;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.source.ExampleSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many small files: Fashion-MNIST's 28×28 pictures as PNGs, one folder per class, where the cost of
 * an image is mostly the cost of a file. Nightjar's prepare of the folder in {@code local[workers]}
 * (as {@code nightjar-submit.sh prepare --conf data.format=images --conf
 * prepare.examples-table=none} runs it: the input check, then the stage, shards written and
 * committed) against a plain javax.imageio loop on as many threads decoding every file into a
 * minibatch array.
 *
 * <p>The files are written once and synced; one untimed round of each contender warms the JIT and
 * reads every file into the page cache. Then each round measures both, in turns (the plain loop
 * first in odd rounds, Nightjar first in even ones), and the figures are the medians over the
 * rounds with their range; the ratio is the median of the rounds' own ratios.
 */
final class SmallFilesWorkload {
  private static final Logger LOG = LoggerFactory.getLogger(SmallFilesWorkload.class);

  private final Path images;
  private final int count;
  private final int rounds;
  private final int workers;
  private final String fashionMnist;
  private final Path output;

  SmallFilesWorkload(
      Path images, int count, int rounds, int workers, String fashionMnist, Path output) {
    this.images = images;
    this.count = count;
    this.rounds = rounds;
    this.workers = workers;
    this.fashionMnist = fashionMnist;
    this.output = output;
  }

  private record Round(int round, double nightjar, double plainLoop) {
    double ratio() {
      return nightjar / plainLoop;
    }
  }

  int run() throws Exception {
    FashionImageGenerator.ensure(images, fashionMnist, count, FashionImageGenerator.Kind.PNG_28);
    List<Path> files = FashionImageGenerator.files(images, FashionImageGenerator.Kind.PNG_28);
    FreshFiles.settle();
    Files.createDirectories(output);
    Path scratch = Files.createTempDirectory("nightjar-bench-small-files");
    List<Round> measured = new ArrayList<>();
    try (SparkSession spark = LoadBenchmark.session(workers)) {
      LOG.info("Warm-up: {} files, each contender once, untimed", files.size());
      plainLoop(files);
      nightjar(spark, scratch);
      for (int round = 1; round <= rounds; round++) {
        double plain;
        double nightjar;
        if (round % 2 == 1) {
          plain = plainLoop(files);
          nightjar = nightjar(spark, scratch);
        } else {
          nightjar = nightjar(spark, scratch);
          plain = plainLoop(files);
        }
        Round r = new Round(round, nightjar, plain);
        measured.add(r);
        LOG.info(
            String.format(
                "small files, round %d: Nightjar %.0f images/s, plain loop %.0f images/s, ratio %.3f",
                round, nightjar, plain, r.ratio()));
      }
    } finally {
      delete(scratch);
    }
    report(measured, files.size());
    return 0;
  }

  private double plainLoop(List<Path> files) throws IOException {
    long start = System.nanoTime();
    long loaded = PlainLoop.threads(files, workers);
    return loaded / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The prepare job's work on the folder: its input check, then the stage up to its commit. Counts
   * the images prepared and quarantined alike.
   */
  private double nightjar(SparkSession spark, Path scratch) throws IOException {
    Path root = Files.createTempDirectory(scratch, "output");
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "output-root=" + root.toUri(),
            "data.format=images",
            "data.source=" + images.toAbsolutePath().toUri(),
            "prepare.examples-table=none",
            "prepare.augment.enabled=false");
    long start = System.nanoTime();
    ExampleSources.of(config.data(), config.prepare())
        .checkInputs(spark.sparkContext().hadoopConfiguration());
    PrepareResult result = Nightjar.prepare(spark, config).execute();
    double seconds = (System.nanoTime() - start) / 1e9;
    delete(root);
    return (result.examples() + result.quarantined()) / seconds;
  }

  private void report(List<Round> measured, int files) throws IOException {
    Path csv = output.resolve("small_files.csv");
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      out.println("round,nightjar_images_per_s,plain_loop_images_per_s,ratio");
      for (Round r : measured) {
        out.printf("%d,%.1f,%.1f,%.4f%n", r.round(), r.nightjar(), r.plainLoop(), r.ratio());
      }
    }
    Spread nightjar = Spread.of(measured.stream().map(Round::nightjar).toList());
    Spread plain = Spread.of(measured.stream().map(Round::plainLoop).toList());
    Spread ratio = Spread.of(measured.stream().map(Round::ratio).toList());
    System.out.println();
    System.out.printf(
        "%-44s %10s %10s %10s%n", "small files (" + files + " PNGs)", "median", "min", "max");
    System.out.printf(
        "%-44s %10.0f %10.0f %10.0f%n",
        "Nightjar prepare, " + workers + " workers, images/s",
        nightjar.median(),
        nightjar.min(),
        nightjar.max());
    System.out.printf(
        "%-44s %10.0f %10.0f %10.0f%n",
        "plain loop, " + workers + " threads, images/s", plain.median(), plain.min(), plain.max());
    System.out.printf(
        "%-44s %10.3f %10.3f %10.3f%n",
        "Nightjar over the plain loop, per round", ratio.median(), ratio.min(), ratio.max());
    System.out.println("Table: " + csv);
    System.out.printf(
        "{\"small_files_vs_plain_loop\": %.3f, \"small_files_vs_plain_loop_min\": %.3f, "
            + "\"small_files_vs_plain_loop_max\": %.3f, \"small_files_nightjar_images_per_s\": %.1f, "
            + "\"small_files_nightjar_images_per_s_min\": %.1f, \"small_files_nightjar_images_per_s_max\": %.1f, "
            + "\"small_files_plain_loop_images_per_s\": %.1f, \"small_files_plain_loop_images_per_s_min\": %.1f, "
            + "\"small_files_plain_loop_images_per_s_max\": %.1f, \"images\": %d, \"workers\": %d, \"rounds\": %d}%n",
        ratio.median(),
        ratio.min(),
        ratio.max(),
        nightjar.median(),
        nightjar.min(),
        nightjar.max(),
        plain.median(),
        plain.min(),
        plain.max(),
        files,
        workers,
        measured.size());
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
