package dev.nightjar.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Measures the range of every activation the QDQ export quantizes, by running calibration images
 * through the fp32 ONNX model with those activations as extra outputs. The same walk names them, so
 * this also covers tensors DL4J never materialises (the output of a separable convolution's
 * depthwise half, the folded conv-plus-batch-norm).
 */
final class ActivationCalibrator {
  private static final int BATCH = 100;

  private ActivationCalibrator() {}

  /** [min, max] of each quantized activation over the images, by tensor name. */
  static Map<String, float[]> ranges(
      MultiLayerNetwork network, NetworkShape input, float[] images, int count) {
    int imageSize = input.channels() * input.height() * input.width();
    if (count <= 0 || images.length < (long) count * imageSize) {
      throw new IllegalArgumentException(
          "need "
              + count
              + " calibration images of "
              + imageSize
              + " floats, got "
              + images.length);
    }
    Recorder recorder = new Recorder();
    OnnxGraph graph = NetworkTranslator.translate(network, input, recorder);
    Map<String, float[]> ranges = new LinkedHashMap<>();
    for (String name : recorder.activations) {
      ranges.put(name, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
      if (!name.equals(NetworkTranslator.INPUT)) {
        graph.floatOutput(name);
      }
    }
    if (ranges.containsKey(NetworkTranslator.INPUT)) {
      widen(ranges.get(NetworkTranslator.INPUT), FloatBuffer.wrap(images, 0, count * imageSize));
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // Basic optimizations only: nothing fuses away a tensor we asked to see.
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
      try (OrtSession session = environment.createSession(graph.toModelBytes(), options)) {
        for (int from = 0; from < count; from += BATCH) {
          int batch = Math.min(BATCH, count - from);
          FloatBuffer slice = FloatBuffer.wrap(images, from * imageSize, batch * imageSize).slice();
          try (OnnxTensor tensor =
                  OnnxTensor.createTensor(
                      environment,
                      slice,
                      new long[] {batch, input.channels(), input.height(), input.width()});
              OrtSession.Result result = session.run(Map.of(NetworkTranslator.INPUT, tensor))) {
            for (Map.Entry<String, OnnxValue> output : result) {
              float[] range = ranges.get(output.getKey());
              if (range != null) {
                widen(range, ((OnnxTensor) output.getValue()).getFloatBuffer());
              }
            }
          }
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
    }
    return ranges;
  }

  private static void widen(float[] range, FloatBuffer values) {
    while (values.hasRemaining()) {
      float value = values.get();
      range[0] = Math.min(range[0], value);
      range[1] = Math.max(range[1], value);
    }
  }

  /** The fp32 encoding, noting which tensors the QDQ encoding would quantize. */
  private static final class Recorder implements TensorEncoding {
    private final FloatEncoding fp32 = new FloatEncoding(WeightPrecision.FP32);
    private final List<String> activations = new ArrayList<>();

    @Override
    public String weight(
        OnnxGraph graph, String name, long[] dims, float[] values, int channelAxis) {
      return fp32.weight(graph, name, dims, values, channelAxis);
    }

    @Override
    public boolean convolvesInFloat(long[] dims) {
      return QdqEncoding.shortReduction(dims);
    }

    @Override
    public String bias(OnnxGraph graph, String name, float[] values, String input, String weight) {
      return fp32.bias(graph, name, values, input, weight);
    }

    @Override
    public String parameter(OnnxGraph graph, String name, long[] dims, float[] values) {
      return fp32.parameter(graph, name, dims, values);
    }

    @Override
    public String activation(OnnxGraph graph, String tensor) {
      activations.add(tensor);
      return tensor;
    }

    @Override
    public String passThrough(OnnxGraph graph, String input, String output) {
      return output;
    }
  }
}
