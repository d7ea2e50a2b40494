package dev.nightjar.onnx;

import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx.TensorProto;

/**
 * Float compute with parameters stored in fp32, or in fp16/bf16 and Cast back to float in the
 * graph: ONNX Runtime folds the Casts into float initializers when it loads the model, so the file
 * halves while the arithmetic stays fp32.
 */
final class FloatEncoding implements TensorEncoding {
  private final WeightPrecision precision;

  FloatEncoding(WeightPrecision precision) {
    this.precision = precision;
  }

  @Override
  public String weight(OnnxGraph graph, String name, long[] dims, float[] values, int channelAxis) {
    return parameter(graph, name, dims, values);
  }

  @Override
  public String bias(OnnxGraph graph, String name, float[] values, String input, String weight) {
    return parameter(graph, name, new long[] {values.length}, values);
  }

  @Override
  public String parameter(OnnxGraph graph, String name, long[] dims, float[] values) {
    if (precision == WeightPrecision.FP32) {
      return graph.floats(name, dims, values);
    }
    boolean half = precision == WeightPrecision.FP16;
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putShort(half ? HalfFloats.toFloat16(value) : HalfFloats.toBfloat16(value));
    }
    String stored =
        graph.initializer(
            name + (half ? "_fp16" : "_bf16"),
            half ? TensorProto.DataType.FLOAT16_VALUE : TensorProto.DataType.BFLOAT16_VALUE,
            dims,
            bytes.array());
    graph.node("Cast", name, stored).i("to", TensorProto.DataType.FLOAT_VALUE);
    return name;
  }

  @Override
  public String activation(OnnxGraph graph, String tensor) {
    return tensor;
  }

  @Override
  public String passThrough(OnnxGraph graph, String input, String output) {
    return output;
  }
}
