package dev.nightjar.bench;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.EngineKind;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.PixelScaling;
import dev.nightjar.infer.Scorer;
import dev.nightjar.infer.ServedModels;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.ServingDecision;
import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.InferenceEngine;
import dev.nightjar.model.engine.ModelLoader;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.table.ExampleTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Inference on the 10,000-image Fashion-MNIST test set in local[2]: prepares, trains and "
            + "optimizes a model, then measures Nightjar's Spark inference with the serving model, the fp32 "
            + "baseline on ONNX Runtime and on DL4J, DL4J's own feedForwardWithKey and a plain two-thread loop; "
            + "prints one JSON line last.")
final class InferBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(InferBenchmark.class);
  private static final int BATCH = 256;

  @Option(
      names = "--epochs",
      description = "Training epochs of the model to optimize (default: the pipeline's).")
  Integer epochs;

  @Option(
      names = "--passes",
      description =
          "Times each measurement on ONNX Runtime scores the test set; Nightjar "
              + "scores them in one Spark job, the plain loop's threads without waiting for each other between passes "
              + "(default: ${DEFAULT-VALUE}).")
  int passes = 10;

  @Option(
      names = "--dl4j-passes",
      description =
          "Times each measurement on DL4J scores the test set; "
              + "feedForwardWithKey runs one Spark job per pass (default: ${DEFAULT-VALUE}).")
  int dl4jPasses = 1;

  @Option(
      names = "--repeats",
      description =
          "Measurements per contender; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeats = 5;

  @Option(
      names = "--warm-ups",
      description =
          "Untimed rounds of the contenders measured in turns before their "
              + "measurements: Spark's code paths take longer than a plain loop's to be compiled (default: ${DEFAULT-VALUE}).")
  int warmUps = 3;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "A setting for the pipeline that makes the model, "
              + "e.g. optimize.variants=[int8] (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
  String fashionMnist = "/usr/share/datasets/fashion-mnist";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the table goes (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("bench-results/infer");

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Keep the pipeline's outputs here; a later run with the "
              + "same folder measures the model already optimized there instead of training again (default: a temporary folder).")
  Path work;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(output);
    Path scratch =
        work != null
            ? Files.createDirectories(work.toAbsolutePath())
            : Files.createTempDirectory("nightjar-bench-infer");
    List<String> settings =
        new ArrayList<>(
            List.of(
                "output-root=" + scratch.toUri(),
                "data.source=" + fashionMnist,
                "run-date=2026-01-01",
                "run-id=bench",
                "infer.batch-size=" + BATCH));
    if (epochs != null) {
      settings.add("train.epochs=" + epochs);
    }
    settings.addAll(overrides);
    NightjarConfig config = ConfigLoader.fromOverrides(settings.toArray(String[]::new));
    try (SparkSession spark = session()) {
      OptimizedModels models = OptimizedModels.reuseOrBuild(spark, config);
      ServingDecision serving = models.serving();
      // As the infer stage resolves it: refused when beyond the tolerance or chosen for another
      // engine.
      OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      ModelRef servingRef = ServedModels.resolve(layout, config.infer(), hadoop);
      ModelRef fp32OnnxRef =
          ref(models.fp32Onnx(), "fp32-onnxruntime", EngineKind.ONNXRUNTIME, serving, hadoop);
      ModelRef fp32Dl4jRef = ref(models.fp32Dl4j(), "fp32-dl4j", EngineKind.DL4J, serving, hadoop);

      // One partition per task slot, as many images in each, held in memory as rows, as the plain
      // loop holds them (Spark's columnar cache would add its decoding to Nightjar's side alone).
      JavaRDD<Row> test =
          ExampleTable.split(
                  spark,
                  PublishedOutputs.resolve(
                      spark.sparkContext().hadoopConfiguration(), layout, layout.prepared()),
                  config.infer().split())
              .repartition(spark.sparkContext().defaultParallelism())
              .javaRDD()
              .persist(StorageLevel.MEMORY_ONLY());
      long images = test.count();
      List<Row> rows = test.collect();
      LOG.info(
          "Benchmarking inference on {} test images, {} passes per measurement on ONNX Runtime and {} on DL4J, "
              + "{} measurements each",
          images,
          passes,
          dl4jPasses,
          repeats);

      // The contenders of the serving ratios take turns, so that a noisy moment or a warmer JIT
      // does not favour whichever was measured last.
      String servingName = "Nightjar Spark, serving model " + serving.variant() + " on onnxruntime";
      String fp32OnnxName = "Nightjar Spark, fp32 on onnxruntime";
      String plainLoopName = "plain two-thread loop, serving model on onnxruntime";
      Map<String, Measurement> inTurns = new LinkedHashMap<>();
      inTurns.put(servingName, () -> nightjar(spark, config, test, servingRef, images, passes));
      inTurns.put(fp32OnnxName, () -> nightjar(spark, config, test, fp32OnnxRef, images, passes));
      inTurns.put(plainLoopName, () -> plainLoop(spark, servingRef, rows, serving.imageShape()));
      Map<String, Double> turns = mediansInTurns(inTurns, warmUps);
      double nightjarServing = turns.get(servingName);
      double nightjarFp32Onnx = turns.get(fp32OnnxName);
      double plainLoop = turns.get(plainLoopName);
      double nightjarFp32Dl4j =
          median(
              "Nightjar Spark, fp32 on dl4j",
              () -> nightjar(spark, config, test, fp32Dl4jRef, images, dl4jPasses));
      // As a DL4J user runs it (oneDNN helpers off), and with Nightjar's backend settings.
      double feedForward =
          median(
              "DL4J feedForwardWithKey, fp32, as DL4J ships",
              () ->
                  Dl4jDefaults.run(
                      () ->
                          feedForwardWithKey(
                              spark, models.fp32Dl4j(), rows, serving.imageShape())));
      double feedForwardSameBackend =
          median(
              "DL4J feedForwardWithKey, fp32, Nightjar's backend",
              () -> feedForwardWithKey(spark, models.fp32Dl4j(), rows, serving.imageShape()));
      test.unpersist();

      double dropPoints = serving.dropPoints();
      try (PrintWriter out =
          new PrintWriter(Files.newBufferedWriter(output.resolve("infer_benchmark.csv")))) {
        out.println("contender,model,engine,images_per_s");
        out.printf(
            "nightjar-spark,%s,onnxruntime,%.1f%nnightjar-spark,fp32,onnxruntime,%.1f%n"
                + "nightjar-spark,fp32,dl4j,%.1f%ndl4j-feedforwardwithkey,fp32,dl4j,%.1f%n"
                + "dl4j-feedforwardwithkey-onednn-helpers,fp32,dl4j,%.1f%nplain-loop,%s,onnxruntime,%.1f%n",
            serving.variant(),
            nightjarServing,
            nightjarFp32Onnx,
            nightjarFp32Dl4j,
            feedForward,
            feedForwardSameBackend,
            serving.variant(),
            plainLoop);
      }
      System.out.printf("%n%-58s %12s%n", "contender", "images/s");
      System.out.printf(
          "%-58s %12.0f%n",
          "Nightjar Spark, " + serving.variant() + " on onnxruntime", nightjarServing);
      System.out.printf("%-58s %12.0f%n", "Nightjar Spark, fp32 on onnxruntime", nightjarFp32Onnx);
      System.out.printf("%-58s %12.0f%n", "Nightjar Spark, fp32 on dl4j", nightjarFp32Dl4j);
      System.out.printf(
          "%-58s %12.0f%n", "DL4J feedForwardWithKey, fp32, as DL4J ships", feedForward);
      System.out.printf(
          "%-58s %12.0f%n",
          "DL4J feedForwardWithKey, fp32, Nightjar's backend", feedForwardSameBackend);
      System.out.printf(
          "%-58s %12.0f%n",
          "plain two-thread loop, " + serving.variant() + " on onnxruntime", plainLoop);
      System.out.printf(
          "Serving %s: test accuracy %.4f against the fp32 baseline's %.4f (%s)%n",
          serving.variant(), serving.testAccuracy(), serving.baselineAccuracy(), serving.reason());
      System.out.printf(
          "{\"vs_feedforwardwithkey\": %.3f, \"serving_vs_fp32\": %.3f, \"engine_gain\": %.3f, "
              + "\"accuracy_drop_points\": %.3f, \"spark_vs_plain_loop\": %.3f, \"serving_model\": \"%s\", "
              + "\"nightjar_serving_images_per_s\": %.1f, \"nightjar_fp32_onnxruntime_images_per_s\": %.1f, "
              + "\"nightjar_fp32_dl4j_images_per_s\": %.1f, \"feedforwardwithkey_images_per_s\": %.1f, "
              + "\"plain_loop_images_per_s\": %.1f, \"vs_feedforwardwithkey_same_backend\": %.3f, "
              + "\"feedforwardwithkey_same_backend_images_per_s\": %.1f, \"test_images\": %d, \"passes\": %d, "
              + "\"dl4j_passes\": %d, \"repeats\": %d}%n",
          nightjarServing / feedForward,
          nightjarServing / nightjarFp32Onnx,
          nightjarFp32Onnx / nightjarFp32Dl4j,
          dropPoints,
          nightjarServing / plainLoop,
          serving.variant(),
          nightjarServing,
          nightjarFp32Onnx,
          nightjarFp32Dl4j,
          feedForward,
          plainLoop,
          nightjarServing / feedForwardSameBackend,
          feedForwardSameBackend,
          images,
          passes,
          dl4jPasses,
          repeats);
    }
    return 0;
  }

  private interface Measurement {
    double run() throws Exception;
  }

  /** The median of {@code repeats} measurements, after one untimed warm-up that loads the model. */
  private double median(String name, Measurement measurement) throws Exception {
    return mediansInTurns(Map.of(name, measurement), 1).get(name);
  }

  /**
   * Each measurement's median of {@code repeats}, taken in turns: {@code rounds} untimed warm-ups
   * of each, then {@code repeats} rounds in which each is measured once.
   */
  private Map<String, Double> mediansInTurns(Map<String, Measurement> measurements, int rounds)
      throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (Map.Entry<String, Measurement> measurement : measurements.entrySet()) {
      rates.put(measurement.getKey(), new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Measurement> measurement : measurements.entrySet()) {
        LOG.info("Warming up {} ({}/{})", measurement.getKey(), round + 1, rounds);
        measurement.getValue().run();
      }
    }
    for (int i = 0; i < repeats; i++) {
      for (Map.Entry<String, Measurement> measurement : measurements.entrySet()) {
        double rate = measurement.getValue().run();
        rates.get(measurement.getKey()).add(rate);
        LOG.info(String.format("%s: %.0f images/s", measurement.getKey(), rate));
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    rates.forEach((name, values) -> medians.put(name, Stats.of(values).median()));
    return medians;
  }

  /**
   * Nightjar's scoring, as the infer stage runs it before encoding rows for Parquet: one Spark job
   * over every pass of the test set held in memory, one task per task slot as the plain loop has
   * one thread per core. (A task per pass and slot would time Spark's task launches too, about 5 ms
   * each on this machine: a tenth of a 5-pass job.)
   */
  private double nightjar(
      SparkSession spark,
      NightjarConfig config,
      JavaRDD<Row> test,
      ModelRef model,
      long images,
      int passes) {
    JavaRDD<Row> allPasses = test;
    for (int pass = 1; pass < passes; pass++) {
      allPasses = allPasses.union(test);
    }
    allPasses = allPasses.coalesce(spark.sparkContext().defaultParallelism());
    long start = System.nanoTime();
    Scorer scorer = new Scorer(spark, model, config.infer().batchSize(), config.infer().topK());
    long scored =
        scorer
            .predict(allPasses, "bench", "bench", spark.sparkContext().collectionAccumulator())
            .count();
    if (scored != images * passes) {
      throw new IllegalStateException("scored " + scored + " of " + images * passes + " images");
    }
    return scored / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * DL4J's own Spark inference: the network broadcast, features keyed by id, batches of the same
   * size.
   */
  private double feedForwardWithKey(SparkSession spark, String fp32Zip, List<Row> rows, int[] shape)
      throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    MultiLayerNetwork network =
        ModelSerializer.restoreMultiLayerNetwork(
            new java.io.File(java.net.URI.create(fp32Zip)), false);
    List<Tuple2<String, INDArray>> features = new ArrayList<>(rows.size());
    int pixels = shape[0] * shape[1] * shape[2];
    for (Row row : rows) {
      float[] image = new float[pixels];
      PixelScaling.toUnitRange((byte[]) row.get(2), image, 0);
      features.add(
          new Tuple2<>(
              row.getString(0),
              Nd4j.create(image, new long[] {1, shape[0], shape[1], shape[2]}, 'c')));
    }
    JavaPairRDD<String, INDArray> data =
        jsc.parallelizePairs(features, jsc.defaultParallelism())
            .persist(StorageLevel.MEMORY_ONLY());
    data.count();
    SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(jsc, network, null);
    long start = System.nanoTime();
    for (int pass = 0; pass < dl4jPasses; pass++) {
      sparkNetwork.feedForwardWithKey(data, BATCH).count();
    }
    double rate = (double) rows.size() * dl4jPasses / ((System.nanoTime() - start) / 1e9);
    data.unpersist();
    return rate;
  }

  /**
   * The same batches, scaled the same way, through the same engine from two threads, with no Spark:
   * each thread scores its half of the test set {@code passes} times.
   */
  private double plainLoop(SparkSession spark, ModelRef model, List<Row> rows, int[] shape)
      throws Exception {
    int pixels = shape[0] * shape[1] * shape[2];
    int threads = 2;
    try (EnginePool pool = ModelLoader.load(model, spark.sparkContext().hadoopConfiguration())) {
      ExecutorService executor = Executors.newFixedThreadPool(threads);
      try {
        long start = System.nanoTime();
        List<Future<Long>> parts = new ArrayList<>();
        int half = (rows.size() + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
          List<Row> part =
              rows.subList(Math.min(rows.size(), t * half), Math.min(rows.size(), (t + 1) * half));
          parts.add(
              executor.submit(
                  () -> {
                    InferenceEngine engine = pool.borrow();
                    long predicted = 0;
                    for (int pass = 0; pass < passes; pass++) {
                      for (int from = 0; from < part.size(); from += BATCH) {
                        int n = Math.min(BATCH, part.size() - from);
                        float[] batch = new float[n * pixels];
                        for (int i = 0; i < n; i++) {
                          PixelScaling.toUnitRange(
                              (byte[]) part.get(from + i).get(2), batch, i * pixels);
                        }
                        predicted += engine.predict(batch, n).length / engine.numClasses();
                      }
                    }
                    pool.release(engine);
                    return predicted;
                  }));
        }
        long predicted = 0;
        for (Future<Long> part : parts) {
          predicted += part.get();
        }
        return predicted / ((System.nanoTime() - start) / 1e9);
      } finally {
        executor.shutdownNow();
      }
    }
  }

  /** A comparison model, recorded with its real digest so the engines' digest check passes. */
  private static ModelRef ref(
      String file,
      String version,
      EngineKind engine,
      ServingDecision serving,
      Configuration hadoop) {
    return new ModelRef(
        file,
        ModelDigest.sha256(hadoop, new org.apache.hadoop.fs.Path(file)),
        version,
        engine,
        serving.imageShape(),
        serving.numClasses(),
        1,
        false);
  }

  private static SparkSession session() {
    return SparkSession.builder()
        .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
        .master("local[2]")
        .appName("nightjar-bench-infer")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
