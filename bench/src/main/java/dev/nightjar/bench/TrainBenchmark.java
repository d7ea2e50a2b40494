package dev.nightjar.bench;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.train.ShardLoader;
import dev.nightjar.train.TrainResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "FashionCNN training on Fashion-MNIST: the default pipeline (prepare, train, optimize, infer) "
            + "with 2 workers, its wall time, test accuracy and time to the target accuracy; and the "
            + "training throughput of Nightjar with 1 and 2 workers, DL4J's own Spark training and a "
            + "plain single-JVM fit, each as DL4J ships and with Nightjar's backend settings, on the "
            + "same data, after an untimed warm-up, in turns over several rounds; prints one JSON "
            + "line last.")
final class TrainBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainBenchmark.class);

  @Option(
      names = "--epochs",
      description = "Epochs of the accuracy run (default: the pipeline's, train.epochs).")
  Integer epochs;

  @Option(
      names = "--target-accuracy",
      description =
          "Test accuracy whose time to reach is reported as seconds_to_target_accuracy "
              + "(default: ${DEFAULT-VALUE}).")
  double targetAccuracy = 0.91;

  @Option(
      names = "--throughput-examples",
      description =
          "Training examples for the throughput runs, the same for every contender (default: ${DEFAULT-VALUE}).")
  int throughputExamples = 20_000;

  @Option(
      names = "--warm-up-examples",
      description =
          "Training examples each contender fits once, untimed, before the rounds (default: ${DEFAULT-VALUE}).")
  int warmUpExamples = 2_000;

  @Option(
      names = "--rounds",
      description =
          "Rounds of throughput measurements; each measures every contender once, starting one "
              + "contender later than the round before (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(
      names = "--skip-pipeline",
      description = "Measure the throughput only, not the default pipeline's accuracy and time.")
  boolean skipPipeline;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
  String fashionMnist = "/usr/share/datasets/fashion-mnist";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the table goes (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("bench-results/train");

  /** A training contender: its key in the JSON line and how one measurement of it runs. */
  private record Contender(String key, String label, Measurement measurement) {}

  private interface Measurement {
    double run() throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(output);
    Path scratch = Files.createTempDirectory("nightjar-bench-train");
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    List<Contender> contenders;
    try (SparkSession spark = session(2)) {
      List<Contender> warmUps = contenders(spark, slice(spark, scratch, "warm-up", warmUpExamples));
      contenders = contenders(spark, slice(spark, scratch, "slice", throughputExamples));
      for (Contender warmUp : warmUps) {
        LOG.info("Warming up: {}", warmUp.label());
        warmUp.measurement().run();
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < contenders.size(); i++) {
          Contender contender = contenders.get((i + round) % contenders.size());
          double rate = contender.measurement().run();
          LOG.info(
              String.format(
                  "round %d/%d, %s: %.0f images/s", round + 1, rounds, contender.label(), rate));
          rates.computeIfAbsent(contender.key(), k -> new ArrayList<>()).add(rate);
        }
      }
    }
    Pipeline pipeline = skipPipeline ? null : pipeline(scratch);
    writeCsv(contenders, rates);
    report(contenders, rates, pipeline);
    return 0;
  }

  /** The default pipeline's wall time and training, measured once. */
  private record Pipeline(TrainResult training, double seconds) {}

  private Pipeline pipeline(Path scratch) throws Exception {
    try (SparkSession spark = session(2)) {
      NightjarConfig all =
          epochs == null
              ? config(scratch.resolve("full"))
              : config(scratch.resolve("full"), "train.epochs=" + epochs);
      long start = System.nanoTime();
      Nightjar.prepare(spark, all).execute();
      TrainResult training = Nightjar.train(spark, all).execute();
      Nightjar.optimize(spark, all).execute();
      Nightjar.infer(spark, all).execute();
      return new Pipeline(training, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * A prepared training slice of {@code examples} (validation 0, so it is all training data), its
   * configs for 2 workers and 1, and its shards as DataSets for DL4J's own contenders.
   */
  private record Slice(NightjarConfig config, NightjarConfig oneWorker, List<DataSet> batches) {}

  private Slice slice(SparkSession spark, Path scratch, String name, int examples)
      throws IOException {
    String[] settings = {
      "data.train-limit=" + examples,
      "data.test-limit=1000",
      "prepare.validation-fraction=0",
      "train.epochs=1",
      "train.collect-stats=false"
    };
    NightjarConfig config = config(scratch.resolve(name), settings);
    NightjarConfig oneWorker =
        config(
            scratch.resolve(name),
            Stream.concat(Stream.of(settings), Stream.of("train.workers=1"))
                .toArray(String[]::new));
    Nightjar.prepare(spark, config).execute();
    return new Slice(config, oneWorker, shards(config, spark.sparkContext().hadoopConfiguration()));
  }

  private List<Contender> contenders(SparkSession spark, Slice slice) {
    return List.of(
        new Contender(
            "nightjar_2_workers",
            "Nightjar, 2 workers",
            () -> Nightjar.train(spark, slice.config()).execute().imagesPerSecond()),
        new Contender(
            "nightjar_1_worker",
            "Nightjar, 1 worker",
            () -> Nightjar.train(spark, slice.oneWorker()).execute().imagesPerSecond()),
        // As a DL4J user gets them: M2.1 leaves its oneDNN layer helpers off.
        new Contender(
            "dl4j_default",
            "DL4J Spark training, as shipped",
            () -> Dl4jDefaults.run(() -> dl4jSparkTraining(spark, slice.batches()))),
        new Contender(
            "plain_fit",
            "plain MultiLayerNetwork.fit, as shipped",
            () -> Dl4jDefaults.run(() -> plainFit(slice.batches()))),
        // And with Nightjar's backend settings, to show what the settings alone are worth.
        new Contender(
            "dl4j_same_backend",
            "DL4J Spark training, Nightjar's backend",
            () -> dl4jSparkTraining(spark, slice.batches())),
        new Contender(
            "plain_fit_same_backend",
            "plain fit, Nightjar's backend",
            () -> plainFit(slice.batches())));
  }

  private void writeCsv(List<Contender> contenders, Map<String, List<Double>> rates)
      throws IOException {
    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(output.resolve("train_benchmark.csv")))) {
      out.println("contender,round,images_per_s");
      for (Contender contender : contenders) {
        List<Double> measured = rates.get(contender.key());
        for (int round = 0; round < measured.size(); round++) {
          out.printf("%s,%d,%.1f%n", contender.key(), round + 1, measured.get(round));
        }
      }
    }
  }

  /** The median over the rounds of one contender's rate over another's in the same round. */
  private static Spread ratio(Map<String, List<Double>> rates, String over, String under) {
    List<Double> a = rates.get(over);
    List<Double> b = rates.get(under);
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < a.size(); round++) {
      ratios.add(a.get(round) / b.get(round));
    }
    return Spread.of(ratios);
  }

  private void report(
      List<Contender> contenders, Map<String, List<Double>> rates, Pipeline pipeline) {
    System.out.printf(
        "%n%-44s %10s %10s %10s%n", "images/s over " + rounds + " rounds", "median", "min", "max");
    for (Contender contender : contenders) {
      Spread spread = Spread.of(rates.get(contender.key()));
      System.out.printf(
          "%-44s %10.0f %10.0f %10.0f%n",
          contender.label(), spread.median(), spread.min(), spread.max());
    }
    Map<String, Spread> ratios = new LinkedHashMap<>();
    ratios.put("vs_dl4j_default", ratio(rates, "nightjar_2_workers", "dl4j_default"));
    ratios.put("one_worker_vs_plain_fit", ratio(rates, "nightjar_1_worker", "plain_fit"));
    ratios.put("speedup_2_vs_1", ratio(rates, "nightjar_2_workers", "nightjar_1_worker"));
    ratios.put("vs_dl4j_same_backend", ratio(rates, "nightjar_2_workers", "dl4j_same_backend"));
    ratios.put(
        "one_worker_vs_plain_fit_same_backend",
        ratio(rates, "nightjar_1_worker", "plain_fit_same_backend"));
    System.out.printf("%n%-44s %10s %10s %10s%n", "ratios, per round", "median", "min", "max");
    ratios.forEach(
        (key, spread) ->
            System.out.printf(
                "%-44s %10.3f %10.3f %10.3f%n", key, spread.median(), spread.min(), spread.max()));

    OptionalDouble toTarget =
        pipeline == null
            ? OptionalDouble.empty()
            : pipeline.training().secondsToTestAccuracy(targetAccuracy);
    if (pipeline != null) {
      TrainResult full = pipeline.training();
      System.out.printf(
          "%nFashionCNN after %d epochs: test accuracy %.4f (best epoch %d); test accuracy %.2f %s; "
              + "the pipeline took %.0f s%n",
          full.epochs().size(),
          full.model().testAccuracy(),
          full.model().bestEpoch(),
          targetAccuracy,
          toTarget.isPresent()
              ? String.format("reached after %.0f s of training", toTarget.getAsDouble())
              : "not reached",
          pipeline.seconds());
    }
    StringBuilder json = new StringBuilder("{");
    json.append(
        String.format(
            "\"seconds_to_target_accuracy\": %s, \"target_accuracy\": %.4f, "
                + "\"pipeline_wall_seconds\": %s, \"test_accuracy\": %s, \"epochs\": %s, ",
            toTarget.isPresent() ? String.format("%.1f", toTarget.getAsDouble()) : "null",
            targetAccuracy,
            pipeline == null ? "null" : String.format("%.1f", pipeline.seconds()),
            pipeline == null
                ? "null"
                : String.format("%.4f", pipeline.training().model().testAccuracy()),
            pipeline == null ? "null" : pipeline.training().epochs().size()));
    ratios.forEach(
        (key, spread) ->
            json.append(
                String.format(
                    "\"%s\": %.3f, \"%s_range\": [%.3f, %.3f], ",
                    key, spread.median(), key, spread.min(), spread.max())));
    for (Contender contender : contenders) {
      json.append(
          String.format(
              "\"%s_images_per_s\": %.1f, ",
              contender.key(), Spread.of(rates.get(contender.key())).median()));
    }
    json.append(
        String.format("\"rounds\": %d, \"throughput_examples\": %d}", rounds, throughputExamples));
    System.out.println(json);
  }

  private NightjarConfig config(Path root, String... extra) {
    List<String> overrides =
        new ArrayList<>(
            List.of(
                "output-root=" + root.toUri(),
                "data.source=" + fashionMnist,
                "run-date=2026-01-01",
                "run-id=bench"));
    overrides.addAll(List.of(extra));
    return ConfigLoader.fromOverrides(overrides.toArray(String[]::new));
  }

  private static SparkSession session(int workers) {
    return SparkSession.builder()
        .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
        .master("local[" + workers + "]")
        .appName("nightjar-bench-train")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /** The training shards of the slice as DataSets: the same minibatches for every contender. */
  private static List<DataSet> shards(NightjarConfig config, Configuration conf)
      throws IOException {
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    org.apache.hadoop.fs.Path prepared = PublishedOutputs.resolve(conf, layout, layout.prepared());
    DataManifest manifest =
        JsonFiles.read(
            conf,
            new org.apache.hadoop.fs.Path(prepared, OutputLayout.MANIFEST),
            DataManifest.class);
    List<DataSet> batches = new ArrayList<>();
    for (ShardInfo shard : manifest.shards(Split.TRAIN)) {
      batches.add(
          ShardLoader.read(new org.apache.hadoop.fs.Path(prepared, shard.path()).toString(), conf));
    }
    return batches;
  }

  private static MultiLayerNetwork freshNetwork() {
    return ModelZoo.create("fashion-cnn", new ModelInput(1, 28, 28, 10), 1e-3, 42);
  }

  /**
   * DL4J's examples: ParameterAveragingTrainingMaster at its defaults (Export approach) over an RDD
   * of minibatches.
   */
  private static double dl4jSparkTraining(SparkSession spark, List<DataSet> batches) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<DataSet> data = jsc.parallelize(batches).persist(StorageLevel.MEMORY_ONLY());
    long examples = data.map(DataSet::numExamples).reduce(Integer::sum);
    ParameterAveragingTrainingMaster master =
        new ParameterAveragingTrainingMaster.Builder(100)
            .batchSizePerWorker(100)
            .averagingFrequency(5)
            .build();
    SparkDl4jMultiLayer network = new SparkDl4jMultiLayer(jsc, freshNetwork(), master);
    long start = System.nanoTime();
    network.fit(data);
    double seconds = (System.nanoTime() - start) / 1e9;
    data.unpersist();
    return examples / seconds;
  }

  private static double plainFit(List<DataSet> batches) {
    MultiLayerNetwork network = freshNetwork();
    long examples = 0;
    long start = System.nanoTime();
    for (DataSet batch : batches) {
      network.fit(batch);
      examples += batch.numExamples();
    }
    return examples / ((System.nanoTime() - start) / 1e9);
  }
}
