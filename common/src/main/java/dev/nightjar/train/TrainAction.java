package dev.nightjar.train;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.PreparedData;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.spark.NightjarPlugin;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.stage.RunContext;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageAction;
import dev.nightjar.stage.StageContext;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.stats.StatsUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train stage: fits a zoo network with DL4J's parameter averaging over the prepared shards,
 * which the workers load directly. After every epoch it evaluates on the validation and test
 * splits, writes a checkpoint and stops early once validation accuracy stops improving. It commits
 * the best epoch's model as {@code models/run_date=D} and the epochs as {@code train_metrics}.
 */
public final class TrainAction extends StageAction<TrainResult> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainAction.class);
  static final String STATS_FILE = "training-stats.html";

  private final TrainConfig train;
  private final PreparedData prepared;
  private final Map<String, Object> settings;

  /**
   * @param prepared the shards to train on
   * @param settings the run's effective settings, recorded with the model
   */
  public TrainAction(
      SparkSession spark,
      RunContext run,
      TrainConfig train,
      PreparedData prepared,
      Map<String, Object> settings) {
    super(Stage.TRAIN, spark, run);
    this.train = train;
    this.prepared = prepared;
    this.settings = Map.copyOf(settings);
  }

  @Override
  protected TrainResult run(StageContext context) {
    JavaSparkContext jsc = context.jsc();
    Configuration hadoopConf = context.hadoopConf();
    OutputLayout layout = context.layout();

    Path preparedDir = prepared.dir();
    DataManifest manifest = prepared.manifest();
    if (manifest.count(Split.TRAIN) == 0) {
      throw new InputException(preparedDir + ": the prepared data has no training examples");
    }
    int workers = EpochFitter.workers(jsc, train);
    EpochFitter fitter = new EpochFitter(jsc, train, workers, manifest.shardSize());
    boolean hasValidation = manifest.count(Split.VALIDATION) > 0;
    List<String> trainShards = EpochFitter.shardUris(preparedDir, manifest, Split.TRAIN);
    JavaRDD<String> validationShards =
        hasValidation
            ? EpochFitter.shardPaths(jsc, preparedDir, manifest, Split.VALIDATION, workers)
            : null;
    JavaRDD<String> testShards =
        EpochFitter.shardPaths(jsc, preparedDir, manifest, Split.TEST, workers);
    EpochEvaluator evaluator = new EpochEvaluator(spark, manifest.numClasses());

    CheckpointStore checkpoints = new CheckpointStore(hadoopConf, layout, run.fence());
    TrainingState state = initialState(checkpoints);
    MultiLayerNetwork network =
        state.completedEpochs() > 0
            ? checkpoints.network(state.completedEpochs())
            : ModelZoo.create(
                train.model(),
                ModelInput.of(manifest.imageShape(), manifest.numClasses()),
                train.learningRate(),
                train.seed());
    LOG.info(
        "Training {} ({} parameters) on {} examples with {} workers, epochs {} to {}",
        train.model(),
        network.numParams(),
        manifest.count(Split.TRAIN),
        workers,
        state.completedEpochs() + 1,
        train.epochs());

    boolean collectStats = train.collectStats() && SessionSettings.hasPlugin(spark.sparkContext());
    if (train.collectStats() && !collectStats) {
      // Without the plugin DL4J's statistics ask an NTP server for the time, which may be
      // unreachable.
      LOG.warn(
          "Not collecting DL4J training statistics: the session does not run {}",
          NightjarPlugin.class.getName());
    }
    SparkTrainingStats lastStats = null;
    long trainStart = System.nanoTime();
    int firstEpoch = state.completedEpochs() + 1;
    for (int epoch = firstEpoch; epoch <= train.epochs(); epoch++) {
      // Set on the driver's network, whose configuration every worker copies for the epoch.
      network.setLearningRate(train.learningRate(epoch));
      long epochStart = System.nanoTime();
      EpochFitter.Fitted fitted =
          fitter.fit(network, trainShards, epoch, collectStats, Stage.TRAIN, "epoch " + epoch);
      long fitEnd = System.nanoTime();
      double seconds = (fitEnd - epochStart) / 1e9;
      // A shard no task fitted would leave a model trained on less data, and nothing else shows it.
      fitted.count().requireAll(trainShards, manifest.count(Split.TRAIN), "epoch " + epoch);
      SparkDl4jMultiLayer sparkNetwork = fitted.network();
      lastStats = collectStats ? sparkNetwork.getSparkTrainingStats() : null;
      double validation =
          hasValidation
              ? evaluator.accuracy(sparkNetwork, validationShards, "validation", epoch)
              : Double.NaN;
      double test = evaluator.accuracy(sparkNetwork, testShards, "test", epoch);
      EpochReport report =
          new EpochReport(
              epoch,
              sparkNetwork.getScore(),
              validation,
              test,
              seconds,
              fitted.count().examples() / seconds,
              fitted.count().examples(),
              (System.nanoTime() - fitEnd) / 1e9);
      state = state.after(report);
      checkpoints.save(network, state);

      double perEpoch = (System.nanoTime() - trainStart) / 1e9 / (epoch - firstEpoch + 1);
      LOG.info(
          String.format(
              "epoch %d/%d (learning rate %.2g): loss %.4f, validation accuracy %.4f, test accuracy %.4f, "
                  + "%.0f images/s, %.0f s, about %.0f s left",
              epoch,
              train.epochs(),
              train.learningRate(epoch),
              report.loss(),
              validation,
              test,
              report.imagesPerSecond(),
              seconds,
              perEpoch * (train.epochs() - epoch)));
      if (train.patience() > 0 && state.epochsSinceBest() >= train.patience()) {
        LOG.info(
            "Stopping early: no better validation accuracy for {} epochs since epoch {}",
            state.epochsSinceBest(),
            state.bestEpoch());
        break;
      }
    }
    if (state.completedEpochs() == 0) {
      throw new IllegalStateException("no epoch was trained");
    }

    MultiLayerNetwork best =
        state.bestEpoch() == state.completedEpochs()
            ? network
            : checkpoints.network(state.bestEpoch());
    double fitSeconds = state.epochs().stream().mapToDouble(EpochReport::seconds).sum();
    double imagesPerSecond =
        state.epochs().stream().mapToLong(EpochReport::examplesFitted).sum() / fitSeconds;
    TrainMetricsTable.write(spark, context.unit(), layout, train, workers, state.epochs());
    StagedOutput out = context.stagedOutput(layout.models());
    {
      String sha256 = ModelStore.writeNetwork(hadoopConf, out.path(), best);
      EpochReport bestReport = state.best();
      ModelMetadata metadata =
          new ModelMetadata(
              run.runId() + "-" + sha256.substring(0, 8),
              train.model(),
              sha256,
              run.runId(),
              Instant.now().toString(),
              best.numParams(),
              bestReport.testAccuracy(),
              bestReport.validationAccuracy(),
              bestReport.epoch(),
              state.completedEpochs(),
              manifest.id(),
              manifest.imageShape(),
              manifest.classNames(),
              settings);
      ModelStore.writeMetadata(hadoopConf, out.path(), metadata);
      if (lastStats != null) {
        exportStats(lastStats, hadoopConf, new Path(out.path(), STATS_FILE));
      }
      out.complete();
      double seconds = context.elapsedSeconds();
      LOG.info(
          String.format(
              "Trained %s: test accuracy %.4f (epoch %d of %d), %.0f images/s: %s",
              metadata.version(),
              metadata.testAccuracy(),
              metadata.bestEpoch(),
              state.completedEpochs(),
              imagesPerSecond,
              out.target()));
      return new TrainResult(
          out.path().toString(), metadata, state.epochs(), seconds, imagesPerSecond);
    }
  }

  @Override
  protected void published(TrainResult result) {
    new ModelRegistry(spark.sparkContext().hadoopConfiguration(), run.layout().root())
        .registerTrained(run.layout());
  }

  /** A fresh state, or with {@code resume} the state of the run date's newest checkpoint. */
  private TrainingState initialState(CheckpointStore checkpoints) {
    if (!train.resume()) {
      checkpoints.clear();
      return TrainingState.start(run.runId(), train.model(), train.seed());
    }
    return checkpoints
        .latest()
        .map(
            saved -> {
              if (!saved.model().equals(train.model())) {
                throw new ConfigException(
                    ConfigKeys.TRAIN_RESUME
                        + ": the checkpoint of "
                        + run.layout().runDate()
                        + " is of model "
                        + saved.model()
                        + ", not "
                        + train.model());
              }
              LOG.info(
                  "Resuming after epoch {} of run {} (best so far: epoch {})",
                  saved.completedEpochs(),
                  saved.runId(),
                  saved.bestEpoch());
              return saved;
            })
        .orElseGet(
            () -> {
              LOG.info("No checkpoint for {}: starting from epoch 1", run.layout().runDate());
              return TrainingState.start(run.runId(), train.model(), train.seed());
            });
  }

  private static void exportStats(SparkTrainingStats stats, Configuration conf, Path file) {
    try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
      StatsUtils.exportStatsAsHTML(stats, out);
    } catch (Exception e) {
      // The statistics are a diagnostic: losing them must not lose the model.
      LOG.warn("Could not export DL4J training statistics to {}: {}", file, e.toString());
    }
  }
}
