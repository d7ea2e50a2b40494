package dev.nightjar.model.zoo;

import dev.nightjar.model.ModelInput;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The course's FashionCNN: two conv–batch-norm–ReLU–max-pool blocks (32 filters with same padding,
 * then 64 without), then dense 600, dropout 0.25, dense 120 and a softmax over the classes.
 */
public final class FashionCnn implements Architecture {
  public static final String NAME = "fashion-cnn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MultiLayerConfiguration configuration(ModelInput input, double learningRate, long seed) {
    NeuralNetConfiguration.ListBuilder layers =
        Architecture.base(seed, learningRate, WeightInit.RELU).list();
    ConvBlocks.convBnReluPool(layers, 32, ConvolutionMode.Same);
    ConvBlocks.convBnReluPool(layers, 64, ConvolutionMode.Truncate);
    return layers
        .layer(new DenseLayer.Builder().nOut(600).activation(Activation.RELU).build())
        // DL4J's Dropout takes the probability of keeping an activation: 0.75 drops 25%.
        .layer(new DropoutLayer.Builder().dropOut(new Dropout(0.75)).build())
        .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
        .layer(
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(input.numClasses())
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
        .build();
  }
}
