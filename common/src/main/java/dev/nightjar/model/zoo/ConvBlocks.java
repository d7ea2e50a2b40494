package dev.nightjar.model.zoo;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/** The block FashionCNN-shaped networks repeat: 3×3 convolution, batch norm, ReLU, 2×2 max-pool. */
final class ConvBlocks {
  private ConvBlocks() {}

  static NeuralNetConfiguration.ListBuilder convBnReluPool(
      NeuralNetConfiguration.ListBuilder layers, int filters, ConvolutionMode mode) {
    return layers
        .layer(
            new ConvolutionLayer.Builder(3, 3)
                .nOut(filters)
                .convolutionMode(mode)
                .activation(Activation.IDENTITY)
                .build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new ActivationLayer(Activation.RELU))
        .layer(
            new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build());
  }
}
