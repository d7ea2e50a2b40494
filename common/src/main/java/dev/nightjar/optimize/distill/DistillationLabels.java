package dev.nightjar.optimize.distill;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Builds the {@code [N, 2C]} labels that {@link DistillationLoss} reads: columns {@code 0..C-1} the
 * one-hot true label, columns {@code C..2C-1} the teacher's logits (its output layer's pre-softmax
 * values {@code W·x + b}).
 */
public final class DistillationLabels {
  private DistillationLabels() {}

  /**
   * Concatenates one-hot labels {@code [N, C]} and teacher logits {@code [N, C]} into {@code [N,
   * 2C]}.
   */
  public static INDArray combine(INDArray oneHot, INDArray teacherLogits) {
    if (oneHot.rank() != 2 || !Arrays.equals(oneHot.shape(), teacherLogits.shape())) {
      throw new IllegalArgumentException(
          "one-hot labels and teacher logits must both be [N, C], got "
              + Arrays.toString(oneHot.shape())
              + " and "
              + Arrays.toString(teacherLogits.shape()));
    }
    return Nd4j.hstack(oneHot, teacherLogits.castTo(oneHot.dataType()));
  }

  /** The one-hot true labels, columns {@code 0..C-1} of distillation labels (a copy). */
  public static INDArray trueLabels(INDArray distillationLabels) {
    long classes = classes(distillationLabels);
    return distillationLabels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, classes)).dup();
  }

  /** The teacher's logits, columns {@code C..2C-1} of distillation labels (a copy). */
  public static INDArray teacherLogits(INDArray distillationLabels) {
    long classes = classes(distillationLabels);
    return distillationLabels
        .get(NDArrayIndex.all(), NDArrayIndex.interval(classes, 2 * classes))
        .dup();
  }

  /**
   * The teacher's logits for {@code features}, in inference mode (no dropout, batch norm on its
   * running statistics): {@code W·a + b} of the output layer, where {@code a} is what the layers
   * below it output for the features (after the output layer's input preprocessor, if any).
   *
   * <p>Computed from the output layer's own parameters rather than as {@code log(output)}: a
   * confident teacher's small probabilities lose their precision in float or underflow to 0, and at
   * temperatures above 1 exactly those small probabilities are what the student learns from. So
   * {@code softmax(teacherLogits(teacher, x))} equals {@code teacher.output(x)} to rounding.
   *
   * @throws IllegalArgumentException unless the teacher ends in a dense {@code OutputLayer} with
   *     softmax (or identity) activation
   */
  public static INDArray teacherLogits(MultiLayerNetwork teacher, INDArray features) {
    Layer[] layers = teacher.getLayers();
    int outputIndex = layers.length - 1;
    if (!(layers[outputIndex] instanceof org.deeplearning4j.nn.layers.OutputLayer)) {
      throw new IllegalArgumentException(
          "the teacher must end in a dense OutputLayer, got "
              + layers[outputIndex].getClass().getSimpleName());
    }
    var outputConf =
        (org.deeplearning4j.nn.conf.layers.OutputLayer) layers[outputIndex].conf().getLayer();
    if (!(outputConf.getActivationFn() instanceof ActivationSoftmax
        || outputConf.getActivationFn() instanceof ActivationIdentity)) {
      throw new IllegalArgumentException(
          "the teacher's output layer must have softmax activation, got "
              + outputConf.getActivationFn());
    }
    INDArray below = features;
    if (outputIndex > 0) {
      // feedForwardToLayer's list starts with the input: element i + 1 is layer i's activations.
      List<INDArray> activations = teacher.feedForwardToLayer(outputIndex - 1, features, false);
      below = activations.get(outputIndex);
    }
    InputPreProcessor preProcessor =
        teacher.getLayerWiseConfigurations().getInputPreProcess(outputIndex);
    if (preProcessor != null) {
      below =
          preProcessor.preProcess(below, (int) features.size(0), LayerWorkspaceMgr.noWorkspaces());
    }
    INDArray weights = teacher.getLayer(outputIndex).getParam(DefaultParamInitializer.WEIGHT_KEY);
    INDArray logits = below.castTo(weights.dataType()).mmul(weights);
    if (outputConf.hasBias()) {
      logits.addiRowVector(
          teacher.getLayer(outputIndex).getParam(DefaultParamInitializer.BIAS_KEY));
    }
    return logits;
  }

  /**
   * A copy of {@code batch} whose labels are {@code [N, 2C]}: its one-hot labels, then the
   * teacher's logits for its features. This is the per-minibatch step of precomputing the
   * distillation targets (e.g. in a Spark {@code map} over the training DataSets, with the teacher
   * loaded once per executor); masks and metadata are kept.
   */
  public static DataSet withTeacherLogits(MultiLayerNetwork teacher, DataSet batch) {
    INDArray logits = teacherLogits(teacher, batch.getFeatures());
    if (logits.size(1) != batch.getLabels().size(1)) {
      throw new IllegalArgumentException(
          "the teacher predicts "
              + logits.size(1)
              + " classes but the batch's labels have "
              + batch.getLabels().size(1)
              + " columns");
    }
    DataSet relabelled =
        new DataSet(
            batch.getFeatures(),
            combine(batch.getLabels(), logits),
            batch.getFeaturesMaskArray(),
            batch.getLabelsMaskArray());
    relabelled.setExampleMetaData(batch.getExampleMetaData());
    return relabelled;
  }

  private static long classes(INDArray distillationLabels) {
    if (distillationLabels.rank() != 2 || distillationLabels.size(1) % 2 != 0) {
      throw new IllegalArgumentException(
          "distillation labels must be [N, 2C], got "
              + Arrays.toString(distillationLabels.shape()));
    }
    return distillationLabels.size(1) / 2;
  }
}
