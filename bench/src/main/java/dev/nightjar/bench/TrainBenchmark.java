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
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
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
            + "with 2 workers, its wall time, test accuracy and time to the target accuracy, and "
            + "the throughput of Nightjar with 1 and 2 workers, DL4J's own Spark training at its documented "
            + "defaults and a plain single-JVM fit, all on the same data; prints one JSON line last.")
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
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
  String fashionMnist = "/usr/share/datasets/fashion-mnist";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the table goes (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("bench-results/train");

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(output);
    Path scratch = Files.createTempDirectory("nightjar-bench-train");
    // The throughput runs share one slice; validation 0 so the slice is all training data.
    NightjarConfig slice =
        config(
            scratch.resolve("slice"),
            "data.train-limit=" + throughputExamples,
            "data.test-limit=1000",
            "prepare.validation-fraction=0",
            "train.epochs=1",
            "train.collect-stats=false");
    double nightjarTwo;
    double dl4jDefault;
    double plainFit;
    double dl4jSameBackend;
    double plainFitSameBackend;
    double nightjarOne;
    try (SparkSession spark = session(2)) {
      Nightjar.prepare(spark, slice).execute();
      List<DataSet> batches = shards(slice, spark.sparkContext().hadoopConfiguration());
      plainFit(
          batches.subList(0, Math.min(30, batches.size()))); // warm-up: JIT and native allocations
      nightjarTwo =
          measure(
              "nightjar, 2 workers",
              () -> Nightjar.train(spark, slice).execute().imagesPerSecond());
      // As a DL4J user gets them: M2.1 leaves its oneDNN layer helpers off.
      dl4jDefault =
          measure(
              "DL4J Spark training at its defaults",
              () -> withDl4jDefaults(() -> dl4jDefault(spark, batches)));
      plainFit =
          measure("plain MultiLayerNetwork.fit", () -> withDl4jDefaults(() -> plainFit(batches)));
      // And with Nightjar's backend settings, to show what the settings alone are worth.
      dl4jSameBackend =
          measure("DL4J Spark training, Nightjar's backend", () -> dl4jDefault(spark, batches));
      plainFitSameBackend = measure("plain fit, Nightjar's backend", () -> plainFit(batches));
    }
    try (SparkSession spark = session(1)) {
      nightjarOne =
          measure(
              "nightjar, 1 worker", () -> Nightjar.train(spark, slice).execute().imagesPerSecond());
    }
    TrainResult full;
    double pipelineSeconds;
    try (SparkSession spark = session(2)) {
      NightjarConfig all =
          epochs == null
              ? config(scratch.resolve("full"))
              : config(scratch.resolve("full"), "train.epochs=" + epochs);
      long pipelineStart = System.nanoTime();
      Nightjar.prepare(spark, all).execute();
      full = Nightjar.train(spark, all).execute();
      Nightjar.optimize(spark, all).execute();
      Nightjar.infer(spark, all).execute();
      pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;
    }
    OptionalDouble toTarget = full.secondsToTestAccuracy(targetAccuracy);

    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(output.resolve("train_benchmark.csv")))) {
      out.println("contender,workers,images_per_s");
      out.printf(
          "nightjar,2,%.1f%nnightjar,1,%.1f%ndl4j-spark-defaults,2,%.1f%nplain-fit,1,%.1f%n"
              + "dl4j-spark-onednn-helpers,2,%.1f%nplain-fit-onednn-helpers,1,%.1f%n",
          nightjarTwo, nightjarOne, dl4jDefault, plainFit, dl4jSameBackend, plainFitSameBackend);
    }
    System.out.printf("%n%-36s %12s%n", "contender", "images/s");
    System.out.printf(
        "%-36s %12.0f%n%-36s %12.0f%n%-36s %12.0f%n%-36s %12.0f%n%-36s %12.0f%n%-36s %12.0f%n",
        "nightjar, 2 workers",
        nightjarTwo,
        "nightjar, 1 worker",
        nightjarOne,
        "DL4J Spark training, defaults",
        dl4jDefault,
        "plain MultiLayerNetwork.fit",
        plainFit,
        "DL4J Spark training, oneDNN helpers",
        dl4jSameBackend,
        "plain fit, oneDNN helpers",
        plainFitSameBackend);
    System.out.printf(
        "FashionCNN after %d epochs: test accuracy %.4f (best epoch %d); test accuracy %.2f %s; "
            + "the pipeline took %.0f s%n",
        full.epochs().size(),
        full.model().testAccuracy(),
        full.model().bestEpoch(),
        targetAccuracy,
        toTarget.isPresent()
            ? String.format("reached after %.0f s of training", toTarget.getAsDouble())
            : "not reached",
        pipelineSeconds);
    System.out.printf(
        "{\"seconds_to_target_accuracy\": %s, \"target_accuracy\": %.4f, "
            + "\"pipeline_wall_seconds\": %.1f, \"test_accuracy\": %.4f, \"vs_dl4j_default\": %.3f, \"one_worker_vs_plain_fit\": %.3f, "
            + "\"speedup_2_vs_1\": %.3f, \"nightjar_2_workers_images_per_s\": %.1f, \"nightjar_1_worker_images_per_s\": %.1f, "
            + "\"dl4j_default_images_per_s\": %.1f, \"plain_fit_images_per_s\": %.1f, "
            + "\"vs_dl4j_same_backend\": %.3f, \"one_worker_vs_plain_fit_same_backend\": %.3f, \"epochs\": %d, \"throughput_examples\": %d}%n",
        toTarget.isPresent() ? String.format("%.1f", toTarget.getAsDouble()) : "null",
        targetAccuracy,
        pipelineSeconds,
        full.model().testAccuracy(),
        nightjarTwo / dl4jDefault,
        nightjarOne / plainFit,
        nightjarTwo / nightjarOne,
        nightjarTwo,
        nightjarOne,
        dl4jDefault,
        plainFit,
        nightjarTwo / dl4jSameBackend,
        nightjarOne / plainFitSameBackend,
        full.epochs().size(),
        throughputExamples);
    return 0;
  }

  private interface Measurement {
    double run() throws Exception;
  }

  private static double measure(String name, Measurement measurement) throws Exception {
    LOG.info("Measuring {}", name);
    double rate = measurement.run();
    LOG.info(String.format("%s: %.0f images/s", name, rate));
    return rate;
  }

  private static double withDl4jDefaults(Measurement measurement) throws Exception {
    return Dl4jDefaults.run(measurement::run);
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
  private static double dl4jDefault(SparkSession spark, List<DataSet> batches) {
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
