package dev.nightjar.onnx;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The walk over a DL4J network's layers that every export shares: it emits the ONNX nodes for each
 * layer (folding batch norms into the convolution or dense layer before them) and leaves how
 * numbers are stored and quantized to a {@link TensorEncoding}. Tensors are named by layer index
 * and role, never by what the encoding added, so that two walks over one network name their
 * activations alike (the QDQ export finds the ranges that a calibration walk measured by those
 * names).
 */
final class NetworkTranslator {
  static final String INPUT = "input";
  static final String OUTPUT = "probabilities";

  private final MultiLayerNetwork network;
  private final MultiLayerConfiguration conf;
  private final TensorEncoding encoding;
  private final OnnxGraph graph = new OnnxGraph("nightjar");

  /**
   * What a layer emitted: its output, whether it computed new values (to quantize), and how many
   * layers it used.
   */
  private record Step(String output, boolean computed, int layers) {}

  private NetworkTranslator(MultiLayerNetwork network, TensorEncoding encoding) {
    this.network = network;
    this.conf = network.getLayerWiseConfigurations();
    this.encoding = encoding;
  }

  static OnnxGraph translate(
      MultiLayerNetwork network, NetworkShape input, TensorEncoding encoding) {
    return new NetworkTranslator(network, encoding).walk(input);
  }

  private OnnxGraph walk(NetworkShape input) {
    graph.input(INPUT, input.channels(), input.height(), input.width());
    InputType type = InputType.convolutional(input.height(), input.width(), input.channels());
    String x = INPUT;
    // The input, and the output of a convolution that computes in float, stay float through the
    // layers that read float (activations, pooling, dropout) and are quantized where a layer on the
    // integer kernels reads them: uint8 max-pooling in ONNX Runtime's NCHW layout is much slower
    // than in float.
    boolean inFloat = true;
    int count = network.getnLayers();
    for (int i = 0; i < count; ) {
      InputPreProcessor preProcessor = conf.getInputPreProcess(i);
      if (preProcessor != null) {
        x = preProcess(i, preProcessor, type, x);
        type = preProcessor.getOutputType(type);
      }
      if (inFloat && !readsFloat(i)) {
        x = encoding.activation(graph, x);
        inFloat = false;
      }
      inFloat |= convolvesInFloat(i);
      Layer layer = layer(i);
      Step step = translate(i, layer, type, x);
      for (int used = 0; used < step.layers(); used++) {
        type = layer(i + used).getOutputType(i + used, type);
      }
      i += step.layers();
      // A quantization point goes after each computed output, except the network's own output and
      // one an activation layer is about to transform (quantizing after it keeps ReLU's range >=
      // 0).
      boolean quantize =
          !inFloat && step.computed() && i < count && !(layer(i) instanceof ActivationLayer);
      x = quantize ? encoding.activation(graph, step.output()) : step.output();
    }
    if (x.equals(INPUT)) {
      graph.node("Identity", OUTPUT, x);
    } else {
      graph.renameOutput(x, OUTPUT);
    }
    graph.output(OUTPUT, input.numClasses());
    return graph;
  }

  /** Whether layer i is a convolution that the encoding leaves in float. */
  private boolean convolvesInFloat(int i) {
    return layer(i).getClass() == ConvolutionLayer.class
        && encoding.convolvesInFloat(network.getLayer(i).getParam("W").shape());
  }

  /** Whether layer i computes as well on a float input as on a quantized one. */
  private boolean readsFloat(int i) {
    Layer layer = layer(i);
    return layer instanceof ActivationLayer
        || layer instanceof DropoutLayer
        || layer instanceof BatchNormalization
        || layer.getClass() == SubsamplingLayer.class
        || convolvesInFloat(i);
  }

  private Layer layer(int index) {
    return conf.getConf(index).getLayer();
  }

  private Step translate(int i, Layer layer, InputType in, String x) {
    if (layer instanceof SeparableConvolution2D) {
      return separable(i, (SeparableConvolution2D) layer, in, x);
    }
    // Exact classes: Deconvolution2D, DepthwiseConvolution2D, Subsampling1DLayer... extend these
    // and differ.
    if (layer.getClass() == ConvolutionLayer.class) {
      return convolution(i, (ConvolutionLayer) layer, in, x);
    }
    if (layer.getClass() == SubsamplingLayer.class) {
      return pooling(i, (SubsamplingLayer) layer, in, x);
    }
    if (layer instanceof GlobalPoolingLayer) {
      return globalPooling(i, (GlobalPoolingLayer) layer, in, x);
    }
    if (layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class) {
      return dense(i, (FeedForwardLayer) layer, in, x);
    }
    if (layer instanceof BatchNormalization) {
      return batchNorm(i, (BatchNormalization) layer, in, x);
    }
    if (layer instanceof ActivationLayer) {
      String out = activation(i, layer, ((ActivationLayer) layer).getActivationFn(), x, rank(in));
      return new Step(out, !out.equals(x), 1);
    }
    if (layer instanceof DropoutLayer) {
      return new Step(x, false, 1); // dropout is the identity at inference
    }
    throw unsupported(i, layer, "this layer type is not supported");
  }

  private String preProcess(int i, InputPreProcessor preProcessor, InputType in, String x) {
    if (preProcessor instanceof CnnToFeedForwardPreProcessor) {
      if (((CnnToFeedForwardPreProcessor) preProcessor).getFormat() != CNN2DFormat.NCHW) {
        throw new IllegalArgumentException(
            "layer "
                + i
                + " ("
                + layer(i).getClass().getSimpleName()
                + "): only NCHW inputs can be flattened");
      }
      // DL4J flattens NCHW in c order, as ONNX's Flatten does.
      String out = name(i, "flatten");
      graph.node("Flatten", out, x).i("axis", 1);
      return encoding.passThrough(graph, x, out);
    }
    throw new IllegalArgumentException(
        "layer "
            + i
            + " ("
            + layer(i).getClass().getSimpleName()
            + "): input preprocessor "
            + preProcessor.getClass().getSimpleName()
            + " is not supported");
  }

  private Step convolution(int i, ConvolutionLayer layer, InputType in, String x) {
    InputType.InputTypeConvolutional image =
        convolutionalInput(i, layer, in, layer.getCnn2dDataFormat());
    org.deeplearning4j.nn.api.Layer trained = network.getLayer(i);
    INDArray weightParam = trained.getParam("W");
    long[] weightDims = weightParam.shape();
    float[] weights = Dl4jParams.floats(weightParam);
    float[] bias = bias(trained, (int) weightDims[0]);
    BatchNorm folded = foldableBatchNorm(i, layer);
    if (folded != null) {
      bias = folded.foldInto(weights, weightDims, 0, bias);
    }
    long[] pads =
        pads(
            i,
            layer,
            layer.getConvolutionMode(),
            layer.getKernelSize(),
            layer.getStride(),
            layer.getDilation(),
            layer.getPadding(),
            image);
    String w;
    String b;
    if (convolvesInFloat(i)) {
      w = encoding.parameter(graph, name(i, "W"), weightDims, weights);
      b = encoding.parameter(graph, name(i, "b"), new long[] {bias.length}, bias);
    } else {
      w = encoding.weight(graph, name(i, "W"), weightDims, weights, 0);
      b = encoding.bias(graph, name(i, "b"), bias, x, w);
    }
    String out = name(i, "conv");
    graph
        .node("Conv", out, x, w, b)
        .ints("kernel_shape", layer.getKernelSize())
        .ints("strides", layer.getStride())
        .ints("pads", pads)
        .ints("dilations", layer.getDilation());
    return new Step(
        activation(i, layer, layer.getActivationFn(), out, 4), true, folded != null ? 2 : 1);
  }

  /** A depthwise Conv (one group per input channel) then a 1×1 Conv, as DL4J's sconv2d computes. */
  private Step separable(int i, SeparableConvolution2D layer, InputType in, String x) {
    InputType.InputTypeConvolutional image =
        convolutionalInput(i, layer, in, layer.getCnn2dDataFormat());
    org.deeplearning4j.nn.api.Layer trained = network.getLayer(i);
    // Depthwise "W" is [depthMultiplier, nIn, kH, kW]; ONNX wants [nIn * depthMultiplier, 1, kH,
    // kW]
    // with the multiplier varying fastest, the channel order sconv2d produces.
    INDArray depthwiseParam = trained.getParam("W");
    long[] dw = depthwiseParam.shape();
    int multiplier = (int) dw[0];
    int inChannels = (int) dw[1];
    int window = (int) (dw[2] * dw[3]);
    float[] depthwise = Dl4jParams.floats(depthwiseParam);
    float[] reordered = new float[depthwise.length];
    for (int m = 0; m < multiplier; m++) {
      for (int c = 0; c < inChannels; c++) {
        System.arraycopy(
            depthwise,
            (m * inChannels + c) * window,
            reordered,
            (c * multiplier + m) * window,
            window);
      }
    }
    long[] pads =
        pads(
            i,
            layer,
            layer.getConvolutionMode(),
            layer.getKernelSize(),
            layer.getStride(),
            layer.getDilation(),
            layer.getPadding(),
            image);
    String dwWeight =
        encoding.weight(
            graph,
            name(i, "depthwise_W"),
            new long[] {(long) inChannels * multiplier, 1, dw[2], dw[3]},
            reordered,
            0);
    String depthwiseOut = name(i, "depthwise");
    graph
        .node("Conv", depthwiseOut, x, dwWeight)
        .ints("kernel_shape", layer.getKernelSize())
        .ints("strides", layer.getStride())
        .ints("pads", pads)
        .ints("dilations", layer.getDilation())
        .i("group", inChannels);
    String mid = encoding.activation(graph, depthwiseOut);

    INDArray pointwiseParam = trained.getParam("pW");
    long[] pointwiseDims = pointwiseParam.shape();
    float[] pointwise = Dl4jParams.floats(pointwiseParam);
    float[] bias = bias(trained, (int) pointwiseDims[0]);
    BatchNorm folded = foldableBatchNorm(i, layer);
    if (folded != null) {
      bias = folded.foldInto(pointwise, pointwiseDims, 0, bias);
    }
    String pw = encoding.weight(graph, name(i, "pointwise_W"), pointwiseDims, pointwise, 0);
    String b = encoding.bias(graph, name(i, "b"), bias, mid, pw);
    String out = name(i, "pointwise");
    graph.node("Conv", out, mid, pw, b).ints("kernel_shape", 1, 1);
    return new Step(
        activation(i, layer, layer.getActivationFn(), out, 4), true, folded != null ? 2 : 1);
  }

  private Step dense(int i, FeedForwardLayer layer, InputType in, String x) {
    if (in.getType() != InputType.Type.FF) {
      throw unsupported(i, layer, "expected flat input, got " + in);
    }
    if (layer instanceof DenseLayer && ((DenseLayer) layer).hasLayerNorm()) {
      throw unsupported(i, layer, "layer normalization is not supported");
    }
    org.deeplearning4j.nn.api.Layer trained = network.getLayer(i);
    INDArray weightParam = trained.getParam("W");
    long[] weightDims = weightParam.shape(); // [nIn, nOut]: x·W + b, Gemm without transposes
    float[] weights = Dl4jParams.floats(weightParam);
    float[] bias = bias(trained, (int) weightDims[1]);
    BatchNorm folded = foldableBatchNorm(i, layer);
    if (folded != null) {
      bias = folded.foldInto(weights, weightDims, 1, bias);
    }
    String w = encoding.weight(graph, name(i, "W"), weightDims, weights, 1);
    String b = encoding.bias(graph, name(i, "b"), bias, x, w);
    String out = name(i, "gemm");
    graph.node("Gemm", out, x, w, b);
    return new Step(
        activation(i, layer, layer.getActivationFn(), out, 2), true, folded != null ? 2 : 1);
  }

  private Step pooling(int i, SubsamplingLayer layer, InputType in, String x) {
    InputType.InputTypeConvolutional image =
        convolutionalInput(i, layer, in, layer.getCnn2dDataFormat());
    if (Arrays.stream(layer.getDilation()).anyMatch(d -> d != 1)) {
      throw unsupported(i, layer, "dilated pooling is not supported");
    }
    long[] pads =
        pads(
            i,
            layer,
            layer.getConvolutionMode(),
            layer.getKernelSize(),
            layer.getStride(),
            layer.getDilation(),
            layer.getPadding(),
            image);
    String out = name(i, "pool");
    if (layer.getPoolingType() == PoolingType.MAX) {
      graph
          .node("MaxPool", out, x)
          .ints("kernel_shape", layer.getKernelSize())
          .ints("strides", layer.getStride())
          .ints("pads", pads);
      return new Step(encoding.passThrough(graph, x, out), false, 1);
    }
    if (layer.getPoolingType() == PoolingType.AVG) {
      graph
          .node("AveragePool", out, x)
          .ints("kernel_shape", layer.getKernelSize())
          .ints("strides", layer.getStride())
          .ints("pads", pads)
          .i("count_include_pad", layer.isAvgPoolIncludePadInDivisor() ? 1 : 0);
      return new Step(out, true, 1);
    }
    throw unsupported(i, layer, "pooling type " + layer.getPoolingType() + " is not supported");
  }

  private Step globalPooling(int i, GlobalPoolingLayer layer, InputType in, String x) {
    if (in.getType() != InputType.Type.CNN) {
      throw unsupported(i, layer, "expected image input, got " + in);
    }
    int[] dims = layer.getPoolingDimensions();
    if (dims != null && !Arrays.equals(dims, new int[] {2, 3}) || !layer.isCollapseDimensions()) {
      throw unsupported(
          i, layer, "only pooling over height and width that collapses them is supported");
    }
    String pooled = name(i, "pool");
    String flat = name(i, "flatten");
    if (layer.getPoolingType() == PoolingType.AVG) {
      graph.node("GlobalAveragePool", pooled, x);
      String quantized = encoding.activation(graph, pooled);
      graph.node("Flatten", flat, quantized).i("axis", 1);
      return new Step(encoding.passThrough(graph, quantized, flat), false, 1);
    }
    if (layer.getPoolingType() == PoolingType.MAX) {
      graph.node("GlobalMaxPool", pooled, x);
      String kept = encoding.passThrough(graph, x, pooled);
      graph.node("Flatten", flat, kept).i("axis", 1);
      return new Step(encoding.passThrough(graph, kept, flat), false, 1);
    }
    throw unsupported(i, layer, "pooling type " + layer.getPoolingType() + " is not supported");
  }

  private Step batchNorm(int i, BatchNormalization layer, InputType in, String x) {
    if (in.getType() == InputType.Type.CNN) {
      convolutionalInput(i, layer, in, layer.getCnn2DFormat());
    } else if (in.getType() != InputType.Type.FF) {
      throw unsupported(i, layer, "expected image or flat input, got " + in);
    }
    BatchNorm bn = BatchNorm.of(network.getLayer(i));
    long[] dims = {bn.channels()};
    String out = name(i, "batchnorm");
    graph
        .node(
            "BatchNormalization",
            out,
            x,
            encoding.parameter(graph, name(i, "gamma"), dims, bn.gamma()),
            encoding.parameter(graph, name(i, "beta"), dims, bn.beta()),
            encoding.parameter(graph, name(i, "mean"), dims, bn.mean()),
            encoding.parameter(graph, name(i, "var"), dims, bn.variance()))
        .f("epsilon", bn.epsilon());
    return new Step(out, true, 1);
  }

  /** The batch norm right after layer i, if it can be folded into layer i's weights. */
  private BatchNorm foldableBatchNorm(int i, BaseLayer layer) {
    boolean foldable =
        i + 1 < network.getnLayers()
            && layer(i + 1) instanceof BatchNormalization
            && conf.getInputPreProcess(i + 1) == null
            && layer.getActivationFn()
                instanceof ActivationIdentity; // BN after a nonlinearity cannot fold into it
    return foldable ? BatchNorm.of(network.getLayer(i + 1)) : null;
  }

  private static float[] bias(org.deeplearning4j.nn.api.Layer trained, int outputs) {
    return trained.paramTable().containsKey("b")
        ? Dl4jParams.floats(trained.getParam("b"))
        : new float[outputs];
  }

  private String activation(int i, Layer layer, IActivation fn, String x, int rank) {
    if (fn instanceof ActivationIdentity) {
      return x;
    }
    String out = name(i, "activation");
    if (fn instanceof ActivationReLU) {
      ActivationReLU relu = (ActivationReLU) fn;
      if (relu.getMax() != null
          || nonZero(relu.getThreshold())
          || nonZero(relu.getNegativeSlope())) {
        throw unsupported(
            i, layer, "ReLU with a maximum, threshold or negative slope is not supported");
      }
      graph.node("Relu", out, x);
    } else if (fn instanceof ActivationLReLU) {
      graph.node("LeakyRelu", out, x).f("alpha", (float) ((ActivationLReLU) fn).getAlpha());
    } else if (fn instanceof ActivationTanH) {
      graph.node("Tanh", out, x);
    } else if (fn instanceof ActivationSigmoid) {
      graph.node("Sigmoid", out, x);
    } else if (fn instanceof ActivationSoftmax && rank == 2) {
      graph.node("Softmax", out, x).i("axis", 1);
    } else {
      throw unsupported(i, layer, "activation " + fn + " is not supported here");
    }
    return out;
  }

  private static boolean nonZero(Double value) {
    return value != null && value != 0.0;
  }

  private InputType.InputTypeConvolutional convolutionalInput(
      int i, Layer layer, InputType in, CNN2DFormat format) {
    if (format != CNN2DFormat.NCHW) {
      throw unsupported(i, layer, "data format " + format + " is not supported, only NCHW");
    }
    if (!(in instanceof InputType.InputTypeConvolutional)) {
      throw unsupported(i, layer, "expected image input, got " + in);
    }
    return (InputType.InputTypeConvolutional) in;
  }

  private long[] pads(
      int i,
      Layer layer,
      org.deeplearning4j.nn.conf.ConvolutionMode mode,
      int[] kernel,
      int[] stride,
      int[] dilation,
      int[] padding,
      InputType.InputTypeConvolutional image) {
    try {
      return Padding.of(
          mode, kernel, stride, dilation, padding, image.getHeight(), image.getWidth());
    } catch (IllegalArgumentException e) {
      throw unsupported(i, layer, e.getMessage());
    }
  }

  private static int rank(InputType type) {
    return type.getType() == InputType.Type.CNN ? 4 : 2;
  }

  private static String name(int layer, String role) {
    return "layer" + layer + "_" + role;
  }

  private static IllegalArgumentException unsupported(int i, Layer layer, String why) {
    return new IllegalArgumentException(
        "layer " + i + " (" + layer.getClass().getSimpleName() + "): " + why);
  }
}
