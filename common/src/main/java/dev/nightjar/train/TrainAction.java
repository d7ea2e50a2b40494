package dev.nightjar.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.metrics.Metric;
import dev.nightjar.metrics.MetricsTable;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ModelZoo;
import dev.nightjar.spark.JobGroups;
import dev.nightjar.spark.TaskSlots;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train stage: fits a zoo network with DL4J's parameter averaging over the prepared shards,
 * which the workers load directly, evaluates it on the validation and test splits after every
 * epoch, and commits the best epoch's model as {@code models/run_date=D}.
 */
public final class TrainAction {
  private static final Logger LOG = LoggerFactory.getLogger(TrainAction.class);
  public static final String STAGE = "train";

  private final SparkSession spark;
  private final NightjarConfig config;

  public TrainAction(SparkSession spark, NightjarConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public TrainResult execute() {
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    OutputLayout layout = new OutputLayout(config.outputRoot(), config.runDate());
    TrainConfig train = config.train();

    Path preparedDir = layout.prepared();
    DataManifest manifest = JsonFiles.read(hadoopConf, new Path(preparedDir, OutputLayout.MANIFEST), DataManifest.class);
    if (manifest.count(Split.TRAIN) == 0) {
      throw new InputException(preparedDir + ": the prepared data has no training examples");
    }
    int workers = train.workers() > 0 ? train.workers() : jsc.defaultParallelism();
    JavaRDD<String> trainShards = shardPaths(jsc, preparedDir, manifest, Split.TRAIN, workers);
    Split selectionSplit = manifest.count(Split.VALIDATION) > 0 ? Split.VALIDATION : Split.TEST;
    JavaRDD<String> validationShards = shardPaths(jsc, preparedDir, manifest, selectionSplit, workers);
    JavaRDD<String> testShards = shardPaths(jsc, preparedDir, manifest, Split.TEST, workers);

    MultiLayerNetwork network = ModelZoo.create(train.model(),
        ModelInput.of(manifest.imageShape(), manifest.numClasses()), train.learningRate(), train.seed());
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, manifest.shardSize())
        .batchSizePerWorker(train.batchSizePerWorker())
        .averagingFrequency(train.averagingFrequency())
        .workerPrefetchNumBatches(train.prefetchBatches())
        // Average Adam's moment estimates too; otherwise every averaging round restarts them.
        .saveUpdater(true)
        .rngSeed(train.seed())
        .build();
    SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(jsc, network, master);
    LOG.info("Training {} ({} parameters) on {} examples with {} workers, {} epochs",
        train.model(), network.numParams(), manifest.count(Split.TRAIN), workers, train.epochs());

    List<EpochReport> epochs = new ArrayList<>();
    MultiLayerNetwork best = null;
    EpochReport bestReport = null;
    double fitSeconds = 0;
    for (int epoch = 1; epoch <= train.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      int epochNumber = epoch;
      JobGroups.run(spark.sparkContext(), STAGE, "fit", "epoch " + epoch, () -> sparkNetwork.fitPaths(trainShards));
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      fitSeconds += seconds;
      double validation = selectionSplit == Split.VALIDATION ? accuracy(sparkNetwork, validationShards, manifest, "validation", epochNumber) : Double.NaN;
      double test = accuracy(sparkNetwork, testShards, manifest, "test", epochNumber);
      EpochReport report = new EpochReport(epoch, sparkNetwork.getScore(), validation, test, seconds,
          manifest.count(Split.TRAIN) / seconds);
      epochs.add(report);
      double selection = selectionSplit == Split.VALIDATION ? validation : test;
      if (bestReport == null || selection > selectionScore(bestReport, selectionSplit)) {
        best = network.clone();
        bestReport = report;
      }
      double eta = (System.nanoTime() - start) / 1e9 / epoch * (train.epochs() - epoch);
      LOG.info(String.format("epoch %d/%d: loss %.4f, validation accuracy %.4f, test accuracy %.4f, %.0f images/s, %.0f s, about %.0f s left",
          epoch, train.epochs(), report.loss(), validation, test, report.imagesPerSecond(), seconds, eta));
    }

    double imagesPerSecond = manifest.count(Split.TRAIN) * train.epochs() / fitSeconds;
    try (StagedOutput out = StagedOutput.begin(hadoopConf, layout.rootPath(), layout.models(), config.runId())) {
      String sha256 = ModelStore.writeNetwork(hadoopConf, out.path(), best);
      ModelMetadata metadata = new ModelMetadata(
          config.runId() + "-" + sha256.substring(0, 8), train.model(), sha256, config.runId(),
          Instant.now().toString(), best.numParams(), bestReport.testAccuracy(), bestReport.validationAccuracy(),
          bestReport.epoch(), train.epochs(), manifest.id(), manifest.imageShape(), manifest.classNames(),
          effectiveConfig());
      ModelStore.writeMetadata(hadoopConf, out.path(), metadata);
      out.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      MetricsTable.write(spark, layout, STAGE, config.runId(), List.of(
          Metric.of("test_accuracy", metadata.testAccuracy()),
          Metric.of("validation_accuracy", metadata.validationAccuracy()),
          Metric.of("train_images_per_s", imagesPerSecond),
          Metric.of("train_seconds", seconds),
          Metric.of("best_epoch", metadata.bestEpoch()),
          Metric.of("parameters", metadata.parameterCount())));
      LOG.info(String.format("Trained %s: test accuracy %.4f (epoch %d), %.0f images/s: %s",
          metadata.version(), metadata.testAccuracy(), metadata.bestEpoch(), imagesPerSecond, out.target()));
      return new TrainResult(out.target().toString(), metadata, List.copyOf(epochs), seconds, imagesPerSecond);
    }
  }

  private static double selectionScore(EpochReport report, Split split) {
    return split == Split.VALIDATION ? report.validationAccuracy() : report.testAccuracy();
  }

  private double accuracy(SparkDl4jMultiLayer sparkNetwork, JavaRDD<String> shards, DataManifest manifest,
      String split, int epoch) {
    return JobGroups.run(spark.sparkContext(), STAGE, "evaluate", split + " accuracy after epoch " + epoch, () -> {
      JavaRDD<DataSet> data = ShardLoader.load(shards, new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration()));
      // DL4J evaluates with one shared runner per JVM, whose thread count is the first argument:
      // as many as tasks run at once in a JVM, or the tasks queue behind a single thread.
      // doEvaluation returns merged copies; the argument is only a template.
      Evaluation[] evaluations = sparkNetwork.doEvaluation(data, TaskSlots.perJvm(spark.sparkContext()), 256,
          new Evaluation(manifest.numClasses()));
      return evaluations[0].accuracy();
    });
  }

  private static JavaRDD<String> shardPaths(JavaSparkContext jsc, Path preparedDir, DataManifest manifest,
      Split split, int partitions) {
    List<String> paths = manifest.shards(split).stream()
        .map(ShardInfo::path).map(p -> new Path(preparedDir, p).toString()).toList();
    return jsc.parallelize(paths, Math.max(1, Math.min(partitions, paths.size())));
  }

  private Map<String, Object> effectiveConfig() {
    try {
      return new ObjectMapper().readValue(config.rendered(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("the rendered config is not JSON", e);
    }
  }
}
