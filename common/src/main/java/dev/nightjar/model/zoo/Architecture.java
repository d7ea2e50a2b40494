package dev.nightjar.model.zoo;

import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.Adam;

/** A network of the model zoo, defined once and selected by name in config. */
public interface Architecture {
  /** The name used in config, e.g. {@code fashion-cnn}. */
  String name();

  MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed);

  /** What every zoo network starts from: its seed, Adam at the learning rate, and a weight init. */
  static NeuralNetConfiguration.Builder base(
      long seed, double learningRate, WeightInit weightInit) {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .updater(new Adam(learningRate))
        .weightInit(weightInit);
  }
}
