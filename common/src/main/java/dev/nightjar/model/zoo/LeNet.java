package dev.nightjar.model.zoo;

import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LeNet-5 as DL4J's examples define it: conv 5×5 20, max-pool, conv 5×5 50, max-pool, dense 500.
 */
public final class LeNet implements Architecture {
  public static final String NAME = "lenet";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed) {
    return Architecture.base(seed, learningRate, WeightInit.XAVIER)
        .list()
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).build())
        .layer(
            new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build())
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.IDENTITY).build())
        .layer(
            new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build())
        .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
        .layer(
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(input.numClasses())
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
        .build();
  }
}
