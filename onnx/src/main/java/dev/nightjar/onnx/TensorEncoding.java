package dev.nightjar.onnx;

/**
 * How numbers are stored and where they are quantized: the one thing that differs between the fp32,
 * fp16/bf16 and int8 QDQ exports, so that {@link NetworkTranslator}'s walk over the layers is
 * shared. Every method returns the name of a float tensor that the graph can use.
 */
interface TensorEncoding {
  /**
   * The weight of a Conv or Gemm, row-major with {@code dims}; {@code channelAxis} is the axis of
   * its output channels (0 for Conv's [out, in, kH, kW], 1 for Gemm's [in, out]).
   */
  String weight(OnnxGraph graph, String name, long[] dims, float[] values, int channelAxis);

  /**
   * Whether an ungrouped Conv with weight {@code dims} [out, in, kH, kW] computes in float whatever
   * this encoding does elsewhere: its weight and bias are then plain {@link #parameter}s, and its
   * input and output are quantized only where a layer that computes on quantized values reads them.
   */
  default boolean convolvesInFloat(long[] dims) {
    return false;
  }

  /**
   * The bias of a Conv or Gemm that reads {@code input} with {@code weight} (names this encoding
   * returned).
   */
  String bias(OnnxGraph graph, String name, float[] values, String input, String weight);

  /** Any other float parameter, e.g. of a batch normalization that could not be folded. */
  String parameter(OnnxGraph graph, String name, long[] dims, float[] values);

  /** An activation computed by the graph (a layer's output, or the network's input). */
  String activation(OnnxGraph graph, String tensor);

  /**
   * {@code output} was computed from {@code input} by an operation that only selects or moves its
   * values (max-pooling, flattening): it may keep the input's quantization.
   */
  String passThrough(OnnxGraph graph, String input, String output);
}
