package dev.nightjar.onnx;

import java.util.HashMap;
import java.util.Map;
import onnx.Onnx.TensorProto;

/**
 * The int8 QDQ form that ONNX Runtime's CPU provider fuses into integer kernels: weights stored as
 * int8, symmetric per output channel, behind a DequantizeLinear; biases as int32 at scale input
 * scale × weight scale (what QLinearConv and QGemm take); activations through a uint8
 * QuantizeLinear → DequantizeLinear pair with per-tensor parameters from calibration. A convolution
 * with a short reduction (see {@link #MIN_INTEGER_REDUCTION}) stays in float.
 */
final class QdqEncoding implements TensorEncoding {
  /**
   * The fewest products per output (input channels × kernel height × kernel width) for which a
   * convolution runs on the integer kernels. Below it QLinearConv spends its time on im2col and
   * requantization around a GEMM too short to gain from int8, and the float Conv is faster. A
   * network of one convolution (28×28 input, 16 or 32 filters, ReLU) then a global max-pool and a
   * dense output, on ONNX Runtime 1.29 (1 thread, batch 256), takes in int8 2.1–2.5 times its fp32
   * time over 1×3×3 and 1×5×5 products, 1.2–1.9 times over 3×5×5 and 8×3×3, 1.1–1.4 times over
   * 4×5×5 (100), 0.7–1.0 times over 16×3×3 (144) and about 0.6 times over 8×5×5 and beyond. The
   * rule keeps a network's first convolution over a 1- or 3-channel image in float, as
   * mixed-precision quantization usually does.
   */
  static final long MIN_INTEGER_REDUCTION = 128;

  private final Map<String, float[]> ranges;

  /**
   * The parameters behind each DequantizeLinear output this encoding made, by that output's name.
   */
  private final Map<String, AffineQuantization.Params> activations = new HashMap<>();

  private final Map<String, String> activationInitializers = new HashMap<>();
  private final Map<String, AffineQuantization.Params> weights = new HashMap<>();

  /**
   * @param ranges [min, max] of each activation tensor, by the name the translator gave it
   */
  QdqEncoding(Map<String, float[]> ranges) {
    this.ranges = ranges;
  }

  @Override
  public String weight(OnnxGraph graph, String name, long[] dims, float[] values, int channelAxis) {
    ChannelLayout layout = new ChannelLayout(dims, channelAxis);
    AffineQuantization.Params params = AffineQuantization.perChannelSymmetricInt8(values, layout);
    String quantized =
        graph.initializer(
            name + "_int8",
            TensorProto.DataType.INT8_VALUE,
            dims,
            AffineQuantization.quantize(values, layout, params));
    long[] perChannel = {layout.channels()};
    String scale = graph.floats(name + "_scale", perChannel, params.scales());
    String zeroPoint =
        graph.initializer(
            name + "_zero_point",
            TensorProto.DataType.INT8_VALUE,
            perChannel,
            new byte[layout.channels()]);
    graph.node("DequantizeLinear", name, quantized, scale, zeroPoint).i("axis", channelAxis);
    weights.put(name, params);
    return name;
  }

  @Override
  public boolean convolvesInFloat(long[] dims) {
    return shortReduction(dims);
  }

  /** Whether a Conv with weight {@code dims} [out, in, kH, kW] sums too few products for int8. */
  static boolean shortReduction(long[] dims) {
    return dims[1] * dims[2] * dims[3] < MIN_INTEGER_REDUCTION;
  }

  @Override
  public String bias(OnnxGraph graph, String name, float[] values, String input, String weight) {
    AffineQuantization.Params in = activations.get(input);
    AffineQuantization.Params w = weights.get(weight);
    if (in == null || w == null) {
      return parameter(graph, name, new long[] {values.length}, values);
    }
    float[] scales = new float[values.length];
    int[] quantized = new int[values.length];
    for (int c = 0; c < values.length; c++) {
      scales[c] = in.scales()[0] * w.scales()[c];
      quantized[c] =
          (int)
              Math.max(
                  Integer.MIN_VALUE,
                  Math.min(Integer.MAX_VALUE, Math.rint(values[c] / (double) scales[c])));
    }
    long[] dims = {values.length};
    String stored = graph.ints32(name + "_int32", dims, quantized);
    String scale = graph.floats(name + "_scale", dims, scales);
    String zeroPoint = graph.ints32(name + "_zero_point", dims, new int[values.length]);
    graph.node("DequantizeLinear", name, stored, scale, zeroPoint).i("axis", 0);
    return name;
  }

  @Override
  public String parameter(OnnxGraph graph, String name, long[] dims, float[] values) {
    return graph.floats(name, dims, values);
  }

  @Override
  public String activation(OnnxGraph graph, String tensor) {
    float[] range = ranges.get(tensor);
    if (range == null) {
      throw new IllegalStateException("no calibrated range for activation " + tensor);
    }
    AffineQuantization.Params params = AffineQuantization.perTensorUint8(range[0], range[1]);
    String scale = graph.floats(tensor + "_scale", new long[0], params.scales());
    String zeroPoint =
        graph.initializer(
            tensor + "_zero_point",
            TensorProto.DataType.UINT8_VALUE,
            new long[0],
            new byte[] {(byte) params.zeroPoints()[0]});
    return quantizeDequantize(graph, tensor, tensor, params, scale, zeroPoint);
  }

  @Override
  public String passThrough(OnnxGraph graph, String input, String output) {
    AffineQuantization.Params params = activations.get(input);
    if (params == null) {
      return output;
    }
    // The same scale and zero point initializers as the input's, which lets ONNX Runtime drop the
    // pair and run the max-pool or reshape on the uint8 values directly.
    String source = activationInitializers.get(input);
    return quantizeDequantize(
        graph, output, source, params, source + "_scale", source + "_zero_point");
  }

  private String quantizeDequantize(
      OnnxGraph graph,
      String tensor,
      String source,
      AffineQuantization.Params params,
      String scale,
      String zeroPoint) {
    String quantized = tensor + "_quantized";
    String dequantized = tensor + "_dequantized";
    graph.node("QuantizeLinear", quantized, tensor, scale, zeroPoint);
    graph.node("DequantizeLinear", dequantized, quantized, scale, zeroPoint);
    activations.put(dequantized, params);
    activationInitializers.put(dequantized, source);
    return dequantized;
  }
}
