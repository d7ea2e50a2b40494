package dev.nightjar.bench;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.spark.SessionSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Loading throughput (images/s) on local Spark. Workload 'decode' (default): JPEGs of 250x250 "
            + "against the number of parallel workers, with and without augmentation, against a "
            + "single-threaded plain Java loop; writes a CSV table, a PNG plot with error bars. "
            + "Workload 'small-files': Nightjar's prepare of a folder of 28x28 PNGs, shards written, "
            + "against a plain javax.imageio loop on as many threads, measured in turns; writes a CSV "
            + "table. Each prints one JSON line last.")
final class LoadBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBenchmark.class);

  @Option(
      names = "--workload",
      paramLabel = "NAME",
      description =
          "decode (JPEGs of 250x250, decode-bound) or small-files (28x28 PNGs, per-file cost) "
              + "(default: ${DEFAULT-VALUE}).")
  String workload = "decode";

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description =
          "Image folder; generated from Fashion-MNIST if it holds too few (default: "
              + "bench-data/fashion-jpeg-250, for small-files bench-data/fashion-png-28).")
  Path images;

  @Option(
      names = "--count",
      description =
          "Images to generate and load (default: 20000; for small-files 60000, the training set).")
  Integer count;

  @Option(
      names = "--repetitions",
      description =
          "Rounds in which each contender is measured once, after an untimed warm-up round "
              + "(default: ${DEFAULT-VALUE}).")
  int repetitions = 5;

  @Option(
      names = "--max-workers",
      description =
          "Largest number of parallel workers; for small-files, the workers of Nightjar and the "
              + "threads of the plain loop (default: the cores, ${DEFAULT-VALUE}).")
  int maxWorkers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
  String fashionMnist = "/usr/share/datasets/fashion-mnist";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the table and plot go (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("bench-results/load");

  private record Measurement(
      String contender, int workers, boolean augment, int repetition, double imagesPerSecond) {}

  @Override
  public Integer call() throws Exception {
    switch (workload) {
      case "decode":
        return decode(
            images != null ? images : Path.of("bench-data/fashion-jpeg-250"),
            count != null ? count : 20_000);
      case "small-files":
        return new SmallFilesWorkload(
                images != null ? images : Path.of("bench-data/fashion-png-28"),
                count != null ? count : 60_000,
                repetitions,
                maxWorkers,
                fashionMnist,
                output)
            .run();
      default:
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "--workload must be decode or small-files, not " + workload);
    }
  }

  private int decode(Path images, int count) throws Exception {
    FashionImageGenerator.ensure(images, fashionMnist, count, FashionImageGenerator.Kind.JPEG_250);
    List<Path> files =
        FashionImageGenerator.files(images, FashionImageGenerator.Kind.JPEG_250).subList(0, count);
    FreshFiles.settle();
    Files.createDirectories(output);
    List<Measurement> measurements = new ArrayList<>();
    LOG.info("Warm-up: each contender once, untimed (JIT, page cache)");
    for (int workers = 1; workers <= maxWorkers; workers++) {
      measureInOneSession(workers, 0, images, files, null);
    }
    PlainLoop.singleThread(files);
    // Each round measures every contender once; the order turns by one each round, so no
    // contender is always measured first or right after the same other one.
    int groups = maxWorkers + 1;
    for (int rep = 1; rep <= repetitions; rep++) {
      for (int g = 0; g < groups; g++) {
        int group = (g + rep - 1) % groups;
        if (group == maxWorkers) {
          long start = System.nanoTime();
          long loaded = PlainLoop.singleThread(files);
          double rate = loaded / ((System.nanoTime() - start) / 1e9);
          measurements.add(new Measurement("single-thread loop", 1, false, rep, rate));
          LOG.info(String.format("single-thread loop, round %d: %.0f images/s", rep, rate));
        } else {
          measureInOneSession(group + 1, rep, images, files, measurements);
        }
      }
    }
    double trainRate = trainImagesPerSecond();

    Map<String, Map<String, Stats>> series = summarise(measurements);
    writeTable(measurements, output.resolve("load_benchmark.csv"));
    ErrorBarChart.write(
        output.resolve("load_benchmark.png").toFile(),
        "Loading " + count + " JPEGs of 250x250 to 28x28 minibatches",
        "images/s",
        series);
    printSummary(series, trainRate);
    double oneWorker = series.get("no augmentation").get("1").median();
    double twoWorkers =
        series.get("no augmentation").get(String.valueOf(Math.min(2, maxWorkers))).median();
    double baseline = series.get("single-thread loop").get("1").median();
    System.out.printf(
        "{\"workers_speedup\": %.3f, \"vs_single_thread\": %.3f, \"load_vs_train\": %.3f, "
            + "\"load_images_per_s_2_workers\": %.1f, \"load_images_per_s_1_worker\": %.1f, "
            + "\"single_thread_images_per_s\": %.1f, \"train_images_per_s\": %.1f, \"images\": %d, \"repetitions\": %d}%n",
        twoWorkers / oneWorker,
        twoWorkers / baseline,
        twoWorkers / trainRate,
        twoWorkers,
        oneWorker,
        baseline,
        trainRate,
        count,
        repetitions);
    return 0;
  }

  /**
   * Nightjar with {@code workers} in a session of its own, without and with augmentation (in the
   * order the round turns to); untimed when {@code measurements} is null.
   */
  private void measureInOneSession(
      int workers, int rep, Path images, List<Path> files, List<Measurement> measurements) {
    try (SparkSession spark = session(workers)) {
      boolean augmentFirst = rep % 2 == 0;
      for (boolean augment : new boolean[] {augmentFirst, !augmentFirst}) {
        NightjarConfig config =
            ConfigLoader.fromOverrides(
                "data.format=images",
                "data.source=" + images.toUri(),
                "data.test-fraction=0",
                "prepare.validation-fraction=0",
                "prepare.augment.enabled=" + augment);
        // More partitions than workers, so a worker that finishes early takes another.
        int partitions = 4 * workers;
        long start = System.nanoTime();
        long loaded = LoadProbe.run(spark, config, partitions);
        double rate = loaded / ((System.nanoTime() - start) / 1e9);
        if (measurements != null) {
          measurements.add(new Measurement("nightjar", workers, augment, rep, rate));
          LOG.info(
              String.format(
                  "nightjar, %d worker(s), augmentation %s, round %d: %.0f images/s",
                  workers, augment ? "on" : "off", rep, rate));
        }
      }
    }
  }

  static SparkSession session(int workers) {
    return SparkSession.builder()
        .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
        .master("local[" + workers + "]")
        .appName("nightjar-bench-load")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /**
   * The default model's training throughput on this machine: one epoch of FashionCNN on 6,000
   * images, 2 workers.
   */
  private double trainImagesPerSecond() throws IOException {
    Path scratch = Files.createTempDirectory("nightjar-bench-train");
    try (SparkSession spark = session(Math.min(2, maxWorkers))) {
      NightjarConfig config =
          ConfigLoader.fromOverrides(
              "output-root=" + scratch.toUri(),
              "data.source=" + fashionMnist,
              "data.train-limit=6000",
              "data.test-limit=1000",
              "train.epochs=1",
              "train.collect-stats=false");
      Nightjar.prepare(spark, config).execute();
      double rate = Nightjar.train(spark, config).execute().imagesPerSecond();
      LOG.info(String.format("training FashionCNN: %.0f images/s", rate));
      return rate;
    } finally {
      try (var walk = Files.walk(scratch)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, Map<String, Stats>> summarise(List<Measurement> measurements) {
    Map<String, Map<String, List<Double>>> grouped = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      String series =
          m.contender().equals("nightjar")
              ? (m.augment() ? "augmentation" : "no augmentation")
              : m.contender();
      grouped
          .computeIfAbsent(series, k -> new LinkedHashMap<>())
          .computeIfAbsent(String.valueOf(m.workers()), k -> new ArrayList<>())
          .add(m.imagesPerSecond());
    }
    Map<String, Map<String, Stats>> series = new LinkedHashMap<>();
    grouped.forEach(
        (name, bars) -> {
          Map<String, Stats> stats = new LinkedHashMap<>();
          bars.forEach((workers, values) -> stats.put(workers, Stats.of(values)));
          series.put(name, stats);
        });
    return series;
  }

  private static void writeTable(List<Measurement> measurements, Path csv) throws IOException {
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      out.println("contender,workers,augmentation,repetition,images_per_s");
      for (Measurement m : measurements) {
        out.printf(
            "%s,%d,%s,%d,%.1f%n",
            m.contender(), m.workers(), m.augment(), m.repetition(), m.imagesPerSecond());
      }
    }
  }

  private void printSummary(Map<String, Map<String, Stats>> series, double trainRate) {
    System.out.println();
    System.out.printf(
        "%-20s %8s %12s %10s %12s%n", "contender", "workers", "mean img/s", "std", "median img/s");
    series.forEach(
        (name, bars) ->
            bars.forEach(
                (workers, s) ->
                    System.out.printf(
                        "%-20s %8s %12.0f %10.0f %12.0f%n",
                        name, workers, s.mean(), s.std(), s.median())));
    System.out.printf("%-20s %8s %12.0f%n", "training (FashionCNN)", "2", trainRate);
    System.out.println(
        "Table: "
            + output.resolve("load_benchmark.csv")
            + "   Plot: "
            + output.resolve("load_benchmark.png"));
  }
}
