package dev.nightjar.optimize.prune;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Which parameters magnitude pruning may zero: the weights ({@code W}, and a separable
 * convolution's pointwise {@code pW}) of convolution, dense and output layers. Biases and
 * batch-norm parameters are few and shift whole activations, so they are never pruned.
 */
final class PrunableWeights {
  private PrunableWeights() {}

  /** One layer's prunable parameters, as keys of the network's param table ({@code "3_W"}). */
  record LayerWeights(int layer, List<String> keys) {}

  static List<LayerWeights> of(MultiLayerNetwork network) {
    List<LayerWeights> result = new ArrayList<>();
    for (int i = 0; i < network.getnLayers(); i++) {
      Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
      if (!(conf instanceof ConvolutionLayer
          || conf instanceof DenseLayer
          || conf instanceof BaseOutputLayer)) {
        continue;
      }
      List<String> keys = new ArrayList<>();
      for (String name : network.getLayer(i).paramTable().keySet()) {
        if (name.equals("W") || name.equals("pW")) {
          keys.add(i + "_" + name);
        }
      }
      if (!keys.isEmpty()) {
        result.add(new LayerWeights(i, List.copyOf(keys)));
      }
    }
    return result;
  }

  static List<String> keys(MultiLayerNetwork network) {
    List<String> keys = new ArrayList<>();
    for (LayerWeights layer : of(network)) {
      keys.addAll(layer.keys());
    }
    return keys;
  }
}
