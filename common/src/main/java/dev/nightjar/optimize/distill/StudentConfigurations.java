package dev.nightjar.optimize.distill;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.Architecture;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * Turns any zoo network into a distillation student: the same configuration with its output layer's
 * loss replaced by {@link DistillationLoss}. Everything else stays, nOut and the softmax activation
 * included, so the student's {@code output()} still returns class probabilities and it is served
 * like any other model; only its training labels change shape ({@link DistillationLabels}).
 */
public final class StudentConfigurations {
  private StudentConfigurations() {}

  /** The zoo network's configuration with the distillation loss on its output layer. */
  public static MultiLayerConfiguration student(
      Architecture architecture,
      ModelInput input,
      double learningRate,
      long seed,
      double temperature,
      double alpha) {
    return withDistillationLoss(
        architecture.configuration(input, learningRate, seed), temperature, alpha);
  }

  /**
   * A network with {@code network}'s layers and parameters that trains on {@link DistillationLoss}:
   * a trained (or pruned) model made a student, e.g. to fine-tune it on its teacher's outputs.
   */
  public static MultiLayerNetwork asStudent(
      MultiLayerNetwork network, double temperature, double alpha) {
    MultiLayerNetwork student =
        new MultiLayerNetwork(
            withDistillationLoss(network.getLayerWiseConfigurations(), temperature, alpha));
    student.init(network.params().dup(), false);
    return student;
  }

  /**
   * A copy of {@code configuration} whose output layer trains on {@link DistillationLoss}; the
   * original is left unchanged.
   *
   * @throws IllegalArgumentException unless the last layer is a dense {@code OutputLayer} with
   *     softmax activation (what every zoo network has)
   */
  public static MultiLayerConfiguration withDistillationLoss(
      MultiLayerConfiguration configuration, double temperature, double alpha) {
    DistillationLoss loss = new DistillationLoss(temperature, alpha);
    MultiLayerConfiguration copy = configuration.clone();
    List<NeuralNetConfiguration> confs = copy.getConfs();
    if (confs.isEmpty()) {
      throw new IllegalArgumentException("the configuration has no layers");
    }
    Layer last = confs.get(confs.size() - 1).getLayer();
    // Only the dense OutputLayer: RNN/CNN output layers reshape their labels, which the [N, 2C]
    // layout does not survive.
    if (last == null || last.getClass() != OutputLayer.class) {
      throw new IllegalArgumentException(
          "a distillation student must end in a dense OutputLayer, got "
              + (last == null ? "nothing" : last.getClass().getSimpleName()));
    }
    OutputLayer output = (OutputLayer) last;
    if (!(output.getActivationFn() instanceof ActivationSoftmax)) {
      throw new IllegalArgumentException(
          "a distillation student's output layer must use softmax activation, got "
              + output.getActivationFn()
              + " in layer "
              + (confs.size() - 1));
    }
    output.setLossFn(loss);
    return copy;
  }
}
