package dev.nightjar.model.zoo;

import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small network of depthwise-separable convolutions (as in MobileNet): a 3×3 stem, then separable
 * blocks of 32, 64 and 128 filters and global average pooling. About a twentieth of FashionCNN's
 * parameters, for the infer stage to compare against.
 */
public final class SeparableCnn implements Architecture {
  public static final String NAME = "separable-cnn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed) {
    NeuralNetConfiguration.ListBuilder layers =
        Architecture.base(seed, learningRate, WeightInit.RELU)
            .convolutionMode(ConvolutionMode.Same)
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.IDENTITY).build())
            .layer(new BatchNormalization.Builder().build())
            .layer(new ActivationLayer(Activation.RELU));
    for (int filters : new int[] {32, 64, 128}) {
      layers
          .layer(
              new SeparableConvolution2D.Builder(3, 3)
                  .nOut(filters)
                  .depthMultiplier(1)
                  .activation(Activation.IDENTITY)
                  .build())
          .layer(new BatchNormalization.Builder().build())
          .layer(new ActivationLayer(Activation.RELU));
      if (filters < 128) {
        layers.layer(
            new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build());
      }
    }
    return layers
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(input.numClasses())
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
        .build();
  }
}
