package dev.nightjar.optimize.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structured pruning: removes whole convolution filters and dense neurons, those with the smallest
 * L1 norm, and rebuilds a smaller dense network from the survivors. The following layers lose the
 * matching inputs: a batch norm's four per-channel parameters, the next convolution's input
 * channels, and, across the NCHW flatten, the H×W consecutive rows of the first dense layer that
 * each removed channel owned. A layer is pruned only when everything its output flows into is
 * understood (see {@link #plan}); separable convolutions and the output layer keep their size. The
 * result has a fresh updater and iteration count, ready for the caller to fine-tune.
 *
 * <p>Convolutions can keep a multiple of a block of filters: CPU inference engines compute
 * convolutions in blocks of channels (ONNX Runtime's x86 kernels: 16 with AVX-512, 8 with AVX2),
 * and a layer whose last block is part-filled runs at about half the speed of a full one (measured:
 * 19 and 38 filters run slower than the 32 and 64 they were pruned from).
 */
public final class FilterPruner {
  private FilterPruner() {}

  /**
   * A smaller copy of {@code network} (which is untouched) in which each prunable convolution and
   * dense layer has lost round(fraction × nOut) of its filters or neurons, keeping at least one.
   */
  public static MultiLayerNetwork prune(MultiLayerNetwork network, double fraction) {
    return prune(network, fraction, 1);
  }

  /**
   * As {@link #prune(MultiLayerNetwork, double)}, except that a convolution wider than {@code
   * convolutionMultiple} keeps the multiple of it nearest to its unpruned share, at least one
   * multiple and at most all its filters. Dense layers keep their exact share.
   */
  public static MultiLayerNetwork prune(
      MultiLayerNetwork network, double fraction, int convolutionMultiple) {
    Pass pass = run(network, fraction, convolutionMultiple);
    MultiLayerNetwork result = new MultiLayerNetwork(pass.conf());
    result.init();
    for (int i = 0; i < pass.params().size(); i++) {
      for (Map.Entry<String, INDArray> param : pass.params().get(i).entrySet()) {
        String key = i + "_" + param.getKey();
        if (!Arrays.equals(result.getParam(key).shape(), param.getValue().shape())) {
          throw new IllegalStateException(
              key
                  + ": rebuilt shape "
                  + Arrays.toString(result.getParam(key).shape())
                  + " but pruned parameters of shape "
                  + Arrays.toString(param.getValue().shape()));
        }
        result.setParam(key, param.getValue());
      }
    }
    return result;
  }

  /**
   * For each layer, the indices of the outputs {@link #prune} keeps, or null where it prunes none.
   */
  static int[][] keptOutputs(MultiLayerNetwork network, double fraction) {
    return keptOutputs(network, fraction, 1);
  }

  static int[][] keptOutputs(MultiLayerNetwork network, double fraction, int convolutionMultiple) {
    return run(network, fraction, convolutionMultiple).keptOutputs();
  }

  /** The rebuilt configuration, each layer's surviving parameters, and which outputs survived. */
  private record Pass(
      MultiLayerConfiguration conf, List<Map<String, INDArray>> params, int[][] keptOutputs) {}

  private static Pass run(MultiLayerNetwork network, double fraction, int convolutionMultiple) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
    }
    if (convolutionMultiple < 1) {
      throw new IllegalArgumentException(
          "convolutionMultiple must be at least 1, got " + convolutionMultiple);
    }
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
    // A fresh updater: restart its step count too (Adam's bias correction, schedules).
    conf.setIterationCount(0);
    conf.setEpochCount(0);
    boolean[] pruned = plan(conf);
    int layers = conf.getConfs().size();
    List<Map<String, INDArray>> params = new ArrayList<>();
    int[][] keptOutputs = new int[layers][];
    int[] kept = null; // the channels (or features) entering layer i that survive; null: all
    for (int i = 0; i < layers; i++) {
      // Setting nIn/nOut by hand, not by setInputType: a built configuration no longer knows its
      // input type, and the layers' own InputType inference is what we would have to redo anyway.
      Layer layer = conf.getConf(i).getLayer();
      Map<String, INDArray> layerParams = new LinkedHashMap<>(network.getLayer(i).paramTable());
      if (kept != null) {
        if (conf.getInputPreProcess(i) instanceof CnnToFeedForwardPreProcessor flatten) {
          // The flatten checks its input against numChannels, so it must shrink too.
          int positions = Math.toIntExact(flatten.getInputHeight() * flatten.getInputWidth());
          flatten.setNumChannels(kept.length);
          kept = flattenedRows(kept, positions);
        }
        sliceInputs(layer, layerParams, kept);
      }
      if (pruned[i]) {
        int multiple = isPlainConvolution(layer) ? convolutionMultiple : 1;
        kept = pruneOutputs((FeedForwardLayer) layer, layerParams, fraction, multiple);
        keptOutputs[i] = kept;
      } else if (!passesChannelsThrough(layer)) {
        kept = null;
      }
      params.add(layerParams);
    }
    return new Pass(conf, params, keptOutputs);
  }

  /**
   * Which layers lose outputs: plain NCHW convolutions and dense layers whose output reaches,
   * through layers that keep channels apart (batch norm, activation, dropout, pooling), a layer
   * whose inputs can be sliced. Anything else stops the pruning of that producer, not the run.
   */
  static boolean[] plan(MultiLayerConfiguration conf) {
    int layers = conf.getConfs().size();
    boolean[] pruned = new boolean[layers];
    for (int i = 0; i < layers; i++) {
      Layer layer = conf.getConf(i).getLayer();
      boolean producer = (isPlainConvolution(layer) || layer.getClass() == DenseLayer.class);
      pruned[i] = producer && consumerTakesSlicedInputs(conf, i);
    }
    return pruned;
  }

  private static boolean consumerTakesSlicedInputs(MultiLayerConfiguration conf, int producer) {
    for (int j = producer + 1; j < conf.getConfs().size(); j++) {
      Layer layer = conf.getConf(j).getLayer();
      InputPreProcessor preprocessor = conf.getInputPreProcess(j);
      if (preprocessor != null) {
        return preprocessor instanceof CnnToFeedForwardPreProcessor flatten
            && flatten.getFormat() == CNN2DFormat.NCHW
            && isDenseOrOutput(layer);
      }
      if (passesChannelsThrough(layer)) {
        continue;
      }
      return isPlainConvolution(layer) || isSimpleSeparable(layer) || isDenseOrOutput(layer);
    }
    return false;
  }

  /** Layers whose output channel c is computed from input channel c alone, so slicing commutes. */
  private static boolean passesChannelsThrough(Layer layer) {
    return layer instanceof BatchNormalization
        || layer instanceof ActivationLayer
        || layer instanceof DropoutLayer
        || layer.getClass() == SubsamplingLayer.class
        || layer instanceof GlobalPoolingLayer;
  }

  private static boolean isPlainConvolution(Layer layer) {
    return layer.getClass() == ConvolutionLayer.class
        && ((ConvolutionLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NCHW;
  }

  /**
   * A separable convolution with depth multiplier 1, whose depthwise output channel c is input
   * channel c's.
   */
  private static boolean isSimpleSeparable(Layer layer) {
    return layer.getClass() == SeparableConvolution2D.class
        && ((SeparableConvolution2D) layer).getDepthMultiplier() == 1
        && ((SeparableConvolution2D) layer).getCnn2dDataFormat() == CNN2DFormat.NCHW;
  }

  private static boolean isDenseOrOutput(Layer layer) {
    return layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class;
  }

  /**
   * How many of {@code outputs} survive: all but round(fraction × outputs), at least one; with a
   * {@code multiple} below {@code outputs}, the multiple of it nearest to that, within [multiple,
   * outputs]. A layer no wider than one block gains nothing from alignment, and one that loses
   * nothing stays whole.
   */
  static int keptCount(int outputs, double fraction, int multiple) {
    int exact = Math.max(1, outputs - (int) Math.round(fraction * outputs));
    if (multiple <= 1 || outputs <= multiple || exact == outputs) {
      return exact;
    }
    int aligned = (int) Math.round((double) exact / multiple) * multiple;
    return Math.min(outputs, Math.max(multiple, aligned));
  }

  /**
   * The flattened rows of the kept channels: NCHW flattening gives channel c rows [c·HW, (c+1)·HW).
   */
  static int[] flattenedRows(int[] channels, int positions) {
    int[] rows = new int[channels.length * positions];
    for (int j = 0; j < channels.length; j++) {
      for (int p = 0; p < positions; p++) {
        rows[j * positions + p] = channels[j] * positions + p;
      }
    }
    return rows;
  }

  /** Drops the inputs of {@code layer} that were pruned upstream and updates its nIn. */
  private static void sliceInputs(Layer layer, Map<String, INDArray> params, int[] kept) {
    if (layer instanceof BatchNormalization norm) {
      // gamma, beta, mean and log10stdev (var with useLogStd(false)), one value per channel.
      params.replaceAll((key, value) -> ParamArrays.select(value, value.rank() - 1, kept));
      norm.setNIn(kept.length);
      norm.setNOut(kept.length);
    } else if (isSimpleSeparable(layer)) {
      // Depthwise W [1, nIn, kH, kW] and pointwise pW [nOut, nIn, 1, 1]: input channels on
      // dimension 1.
      params.put("W", ParamArrays.select(params.get("W"), 1, kept));
      params.put("pW", ParamArrays.select(params.get("pW"), 1, kept));
      ((FeedForwardLayer) layer).setNIn(kept.length);
    } else if (isPlainConvolution(layer)) {
      params.put("W", ParamArrays.select(params.get("W"), 1, kept)); // [nOut, nIn, kH, kW]
      ((FeedForwardLayer) layer).setNIn(kept.length);
    } else if (isDenseOrOutput(layer)) {
      params.put("W", ParamArrays.select(params.get("W"), 0, kept)); // [nIn, nOut]
      ((FeedForwardLayer) layer).setNIn(kept.length);
    } else if (!params.isEmpty() || !passesChannelsThrough(layer)) {
      throw new IllegalStateException(
          "cannot slice the inputs of " + layer.getClass().getSimpleName());
    }
  }

  /**
   * Removes the filters or neurons of smallest L1 norm; returns the kept ones' indices, ascending.
   */
  private static int[] pruneOutputs(
      FeedForwardLayer layer, Map<String, INDArray> params, double fraction, int multiple) {
    INDArray weights = params.get("W");
    boolean convolution = layer instanceof ConvolutionLayer;
    int outputDimension = convolution ? 0 : 1; // conv W [nOut, nIn, kH, kW]; dense W [nIn, nOut]
    int outputs = Math.toIntExact(weights.size(outputDimension));
    double[] norms = l1Norms(weights, outputDimension);
    int keep = keptCount(outputs, fraction, multiple);
    int[] kept =
        IntStream.range(0, outputs)
            .boxed()
            .sorted(Comparator.<Integer>comparingDouble(o -> -norms[o]).thenComparingInt(o -> o))
            .limit(keep)
            .mapToInt(Integer::intValue)
            .sorted()
            .toArray();
    params.put("W", ParamArrays.select(weights, outputDimension, kept));
    if (params.containsKey("b")) {
      // Dense biases are [1, nOut] but convolution biases are rank 1, [nOut].
      INDArray bias = params.get("b");
      params.put("b", ParamArrays.select(bias, bias.rank() - 1, kept));
    }
    layer.setNOut(kept.length);
    return kept;
  }

  /** The L1 norm of each output's incoming weights: a filter's whole kernel, a neuron's column. */
  static double[] l1Norms(INDArray weights, int outputDimension) {
    long[] shape = weights.shape();
    int outputs = Math.toIntExact(shape[outputDimension]);
    double[] values = ParamArrays.values(weights);
    double[] norms = new double[outputs];
    if (outputDimension == 0) {
      int block = values.length / outputs;
      for (int i = 0; i < values.length; i++) {
        norms[i / block] += Math.abs(values[i]);
      }
    } else {
      for (int i = 0; i < values.length; i++) {
        norms[i % outputs] += Math.abs(values[i]);
      }
    }
    return norms;
  }
}
