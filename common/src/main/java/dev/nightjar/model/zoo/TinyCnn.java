package dev.nightjar.model.zoo;

import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * FashionCNN's shape at a fraction of its cost: 16 and 32 filters and a dense layer of 64, about a
 * fifth of the multiply-accumulates and a twentieth of the parameters. The default student of
 * distillation: plain convolutions, which DL4J's CPU kernels train fast (its separable convolutions
 * are slow to train there).
 */
public final class TinyCnn implements Architecture {
  public static final String NAME = "tiny-cnn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed) {
    NeuralNetConfiguration.ListBuilder layers =
        Architecture.base(seed, learningRate, WeightInit.RELU).list();
    ConvBlocks.convBnReluPool(layers, 16, ConvolutionMode.Same);
    ConvBlocks.convBnReluPool(layers, 32, ConvolutionMode.Truncate);
    return layers
        .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
        .layer(
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(input.numClasses())
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
        .build();
  }
}
