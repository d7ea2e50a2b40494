package dev.nightjar.optimize.measure;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a network costs: its parameters and the multiply-accumulates of one forward pass of one
 * image. Convolutions and dense layers count; pooling, activations and batch norm (folded into the
 * convolution when exported) do not.
 */
public record ModelCost(long parameters, long macs) {

  public static ModelCost of(MultiLayerNetwork network, InputType input) {
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    List<InputType> outputs = conf.getLayerActivationTypes(input);
    long macs = 0;
    for (int i = 0; i < conf.getConfs().size(); i++) {
      macs += layerMacs(conf.getConf(i).getLayer(), outputs.get(i));
    }
    return new ModelCost(network.numParams(), macs);
  }

  private static long layerMacs(Layer layer, InputType output) {
    if (layer instanceof SeparableConvolution2D separable) {
      long[] k = kernel(separable.getKernelSize());
      long positions = positions(output);
      long depthwiseOut = separable.getNIn() * separable.getDepthMultiplier();
      return positions * depthwiseOut * k[0] * k[1]
          + positions * separable.getNOut() * depthwiseOut;
    }
    if (layer instanceof DepthwiseConvolution2D depthwise) {
      long[] k = kernel(depthwise.getKernelSize());
      return positions(output) * depthwise.getNOut() * k[0] * k[1];
    }
    if (layer instanceof ConvolutionLayer conv) {
      long[] k = kernel(conv.getKernelSize());
      return positions(output) * conv.getNOut() * conv.getNIn() * k[0] * k[1];
    }
    if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
      FeedForwardLayer dense = (FeedForwardLayer) layer;
      return dense.getNIn() * dense.getNOut();
    }
    return 0;
  }

  private static long[] kernel(int[] size) {
    return new long[] {size[0], size[1]};
  }

  private static long positions(InputType output) {
    InputType.InputTypeConvolutional conv = (InputType.InputTypeConvolutional) output;
    return conv.getHeight() * conv.getWidth();
  }
}
