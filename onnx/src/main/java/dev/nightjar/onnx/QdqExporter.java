package dev.nightjar.onnx;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Exports a network to ONNX as an int8 QDQ model, with the same input, output and layer coverage as
 * {@link OnnxExporter}. Conv and Gemm weights are stored as int8, symmetric per output channel
 * (zero point 0), behind DequantizeLinear (axis 0 for Conv's [out, in, kH, kW], axis 1 for Gemm's
 * [in, out]); biases as int32; every activation that feeds or leaves a Conv, Gemm or pooling goes
 * through a uint8 per-tensor QuantizeLinear → DequantizeLinear pair whose range is the min and max
 * seen on the calibration images. At optimization level EXTENDED or ALL, ONNX Runtime's CPU
 * provider fuses these into QLinearConv, QGemm and uint8 MaxPool, the u8s8 kernels it accelerates
 * (VNNI where the CPU has it). A convolution that sums fewer than {@link
 * QdqEncoding#MIN_INTEGER_REDUCTION} products an output (a first convolution over a 1- or 3-channel
 * image) stays in float, weights and all, with the activation and pooling after it; its output is
 * quantized where the next layer reads it. Run the model with the QDQ propagation optimizer off, as
 * {@code OnnxRuntimeEngine} does, or ONNX Runtime moves that quantization back through the pooling.
 */
public final class QdqExporter {
  private QdqExporter() {}

  /**
   * @param calibrationImages NCHW floats in [0, 1], at least {@code calibrationCount} images of
   *     {@code input}'s shape; a few hundred representative images are enough
   */
  public static byte[] toQdqOnnx(
      MultiLayerNetwork network,
      NetworkShape input,
      float[] calibrationImages,
      int calibrationCount) {
    Map<String, float[]> ranges =
        ActivationCalibrator.ranges(network, input, calibrationImages, calibrationCount);
    return NetworkTranslator.translate(network, input, new QdqEncoding(ranges)).toModelBytes();
  }
}
