package dev.nightjar.optimize.variant;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The outputs (filters or neurons) of each weighted layer, for saying what pruning left. */
final class LayerWidths {
  private LayerWidths() {}

  /** e.g. "16, 32, 360, 72, 10": convolutions, dense layers and the output layer, in order. */
  static String of(MultiLayerNetwork network) {
    List<String> widths = new ArrayList<>();
    for (int i = 0; i < network.getnLayers(); i++) {
      Layer layer = network.getLayerWiseConfigurations().getConf(i).getLayer();
      if (layer instanceof FeedForwardLayer weighted
          && network.getLayer(i).paramTable().containsKey("W")) {
        widths.add(String.valueOf(weighted.getNOut()));
      }
    }
    return String.join(", ", widths);
  }
}
