package dev.nightjar.onnx;

/**
 * Affine (scale and zero point) quantization of float tensors, per channel or per tensor: {@code q
 * = clamp(round(x / scale) + zeroPoint, qmin, qmax)}, {@code x ≈ (q - zeroPoint) · scale}, rounding
 * half to even as ONNX's QuantizeLinear does. Every range is widened to include 0, so that 0
 * (padding, ReLU's floor) is represented exactly. A channel whose values are all 0 gets scale 1.
 */
public final class AffineQuantization {
  private AffineQuantization() {}

  /**
   * Scales and zero points (one of each per channel, or one for a whole tensor) and the integer
   * range.
   */
  public record Params(float[] scales, int[] zeroPoints, int qmin, int qmax) {
    public int channels() {
      return scales.length;
    }

    /** Whether the quantized values are stored as int8 (rather than uint8). */
    public boolean signed() {
      return qmin < 0;
    }

    public int quantize(float value, int channel) {
      double scaled = Math.rint(value / (double) scales[channel]) + zeroPoints[channel];
      return (int) Math.max(qmin, Math.min(qmax, scaled));
    }

    public float dequantize(int quantized, int channel) {
      return (quantized - zeroPoints[channel]) * scales[channel];
    }
  }

  /**
   * Per output channel int8, asymmetric: each channel's [min, max] (with 0) maps onto [-128, 127],
   * scale = (max - min) / 255.
   */
  public static Params perChannelInt8(float[] values, ChannelLayout layout) {
    float[][] ranges = ranges(values, layout);
    int channels = layout.channels();
    float[] scales = new float[channels];
    int[] zeroPoints = new int[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = scale(ranges[0][c], ranges[1][c], 255);
      zeroPoints[c] = zeroPoint(ranges[0][c], scales[c], -128, 127);
    }
    return new Params(scales, zeroPoints, -128, 127);
  }

  /**
   * Per output channel int8, symmetric: zero point 0 and scale = max|x| / 127, so -128 is unused.
   * ONNX Runtime's QLinearConv needs one zero point for all channels, and its u8s8 kernels expect
   * int8 weights centred on 0, so this is what the QDQ export stores.
   */
  public static Params perChannelSymmetricInt8(float[] values, ChannelLayout layout) {
    float[][] ranges = ranges(values, layout);
    int channels = layout.channels();
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float magnitude = Math.max(-ranges[0][c], ranges[1][c]);
      scales[c] = scale(-magnitude, magnitude, 254);
    }
    return new Params(scales, new int[channels], -127, 127);
  }

  /**
   * Per tensor uint8, asymmetric: [min, max] (with 0) onto [0, 255], as activations are quantized.
   */
  public static Params perTensorUint8(float min, float max) {
    float low = Math.min(min, 0f);
    float high = Math.max(max, 0f);
    float scale = scale(low, high, 255);
    return new Params(new float[] {scale}, new int[] {zeroPoint(low, scale, 0, 255)}, 0, 255);
  }

  /** The quantized values as bytes: two's complement for int8, the low 8 bits for uint8. */
  public static byte[] quantize(float[] values, ChannelLayout layout, Params params) {
    checkChannels(layout, params);
    int[] channelOf = layout.channelIndex(values.length);
    byte[] quantized = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      quantized[i] = (byte) params.quantize(values[i], channelOf[i]);
    }
    return quantized;
  }

  public static float[] dequantize(byte[] quantized, ChannelLayout layout, Params params) {
    checkChannels(layout, params);
    int[] channelOf = layout.channelIndex(quantized.length);
    float[] values = new float[quantized.length];
    for (int i = 0; i < quantized.length; i++) {
      int q = params.signed() ? quantized[i] : quantized[i] & 0xff;
      values[i] = params.dequantize(q, channelOf[i]);
    }
    return values;
  }

  /** Per-channel [min, max], each widened to include 0. */
  private static float[][] ranges(float[] values, ChannelLayout layout) {
    int[] channelOf = layout.channelIndex(values.length);
    float[] min = new float[layout.channels()];
    float[] max = new float[layout.channels()];
    for (int i = 0; i < values.length; i++) {
      int c = channelOf[i];
      min[c] = Math.min(min[c], values[i]);
      max[c] = Math.max(max[c], values[i]);
    }
    return new float[][] {min, max};
  }

  private static float scale(float min, float max, int steps) {
    float scale = (max - min) / steps;
    // All zeros: any positive scale represents them exactly (and ONNX forbids scale 0).
    return scale > 0 && Float.isFinite(scale) ? scale : 1f;
  }

  /** The integer that 0 maps to, so that min maps to qmin. */
  private static int zeroPoint(float min, float scale, int qmin, int qmax) {
    return (int) Math.max(qmin, Math.min(qmax, qmin - Math.rint(min / (double) scale)));
  }

  private static void checkChannels(ChannelLayout layout, Params params) {
    if (layout.channels() != params.channels()) {
      throw new IllegalArgumentException(
          layout.channels() + " channels, but parameters for " + params.channels());
    }
  }
}
