package dev.nightjar.optimize.variant;

import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.model.ModelInput;
import dev.nightjar.optimize.measure.EvaluationImages;
import dev.nightjar.train.EpochFitter;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What every variant builder starts from: the trained model, its input, the training shards
 * labelled by it for the builders that train, and calibration images.
 *
 * @param training the settings fine-tuning and distillation train with
 * @param trained the train stage's model; builders must not change it
 * @param teacherShards the training shards labelled with the trained model's logits, made on first
 *     use inside the stage's staging output (so nothing of them outlives a failed run)
 */
public record VariantContext(SparkSession spark, OptimizeConfig optimize, TrainConfig training, Configuration hadoopConf,
    DataManifest manifest, MultiLayerNetwork trained, ModelInput input, EvaluationImages calibration,
    EpochFitter fitter, TeacherShards teacherShards) {

  public InputType inputType() {
    return InputType.convolutional(input.height(), input.width(), input.channels());
  }
}
