package dev.nightjar.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/** A network of the model zoo, defined once and selected by name in config. */
public interface Architecture {
  /** The name used in config, e.g. {@code fashion-cnn}. */
  String name();

  MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed);
}
