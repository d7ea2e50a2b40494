package dev.nightjar.onnx;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Exports a model-zoo network to ONNX (opset 13): one input {@code input}, float [N, C, H, W] with
 * a dynamic batch, and one output {@code probabilities}, float [N, classes], the softmax that
 * {@code MultiLayerNetwork.output(x, false)} returns. Batch norms are folded into the convolution
 * (or a separable convolution's pointwise part, or a dense layer) before them; any other becomes an
 * ONNX BatchNormalization. Dropout is dropped. A layer type or configuration the export does not
 * cover (NHWC, causal padding, dilated pooling, layer norm, ...) fails with an {@link
 * IllegalArgumentException} naming the layer's index and type.
 *
 * <p>For int8, see {@link QdqExporter}.
 */
public final class OnnxExporter {
  /** The name of every exported graph's input tensor. */
  public static final String INPUT_NAME = NetworkTranslator.INPUT;

  /** The name of every exported graph's output tensor. */
  public static final String OUTPUT_NAME = NetworkTranslator.OUTPUT;

  /**
   * How the parameters are stored in the file. FP16 and BF16 halve the file; the graph casts them
   * back to float, and ONNX Runtime folds those casts when it loads the model, so inference still
   * computes in fp32 (ONNX Runtime's x86 CPU kernels have no fp16 or bf16 convolution) with weights
   * rounded to 16 bits.
   */
  public enum WeightPrecision {
    FP32,
    FP16,
    BF16
  }

  private OnnxExporter() {}

  /** The serialised ONNX model of {@code network}, whose input has {@code input}'s shape. */
  public static byte[] toOnnx(
      MultiLayerNetwork network, NetworkShape input, WeightPrecision precision) {
    return NetworkTranslator.translate(network, input, new FloatEncoding(precision)).toModelBytes();
  }
}
