package dev.nightjar.optimize.variant;

import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.model.ModelInput;
import dev.nightjar.optimize.measure.EvaluationImages;
import dev.nightjar.stage.Eta;
import dev.nightjar.stage.Stage;
import dev.nightjar.train.EpochFitter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every variant builder starts from: the trained model, its input, the training shards
 * labelled by it for the builders that train, and calibration images.
 *
 * @param training the settings fine-tuning and distillation train with
 * @param trained the train stage's model; builders must not change it
 * @param eta the stage's time left, which the epochs trained here count towards
 * @param teacherShards the training shards labelled with the trained model's logits, made on first
 *     use inside the stage's staging output (so nothing of them outlives a failed run)
 */
public record VariantContext(
    SparkSession spark,
    OptimizeConfig optimize,
    TrainConfig training,
    Configuration hadoopConf,
    DataManifest manifest,
    MultiLayerNetwork trained,
    ModelInput input,
    EvaluationImages calibration,
    EpochFitter fitter,
    TeacherShards teacherShards,
    Eta eta) {
  private static final Logger LOG = LoggerFactory.getLogger(VariantContext.class);

  public InputType inputType() {
    return InputType.convolutional(input.height(), input.width(), input.channels());
  }

  /**
   * Trains {@code network} one epoch on the cluster, and counts it towards the stage's time left.
   */
  public void fitEpoch(
      MultiLayerNetwork network, List<String> shards, int epoch, String description) {
    long start = System.nanoTime();
    long examples =
        fitter.fit(network, shards, epoch, false, Stage.OPTIMIZE, description).count().examples();
    double seconds = (System.nanoTime() - start) / 1e9;
    eta.epochDone(seconds);
    LOG.info(
        String.format(
            "optimize: %s fitted %d examples in %.0f s; %s",
            description, examples, seconds, eta.describe()));
  }
}
