package dev.nightjar.onnx;

import java.util.Arrays;

/**
 * The number of output channels an int8 Conv or Gemm computes. ONNX Runtime 1.23's AMX u8s8 GEMM
 * (MlasGemmU8S8DispatchAmx, chosen on CPUs with AMX-INT8) gets a partial 32-column block wrong when
 * it is more than 16 wide: in the last row of every 32-row block, the columns past the block's
 * first 16 come out as garbage (microsoft/onnxruntime#26324). QLinearConv and QGemm both run on it,
 * with the output channels as columns, so a width w with 16 < w % 32 is rounded up to a whole block
 * of zero-weight channels, which the graph drops again before the next layer.
 */
final class KernelWidth {
  private static final int BLOCK = 32;
  private static final int SAFE_TAIL = 16;

  private KernelWidth() {}

  static int computed(int channels) {
    int tail = channels % BLOCK;
    return tail > SAFE_TAIL ? channels + BLOCK - tail : channels;
  }

  /**
   * Row-major {@code values} of shape {@code dims}, with zeros appended along {@code axis} up to
   * {@code width}.
   */
  static float[] widen(float[] values, long[] dims, int axis, int width) {
    int channels = (int) dims[axis];
    int inner = 1;
    for (int d = axis + 1; d < dims.length; d++) {
      inner *= (int) dims[d];
    }
    int outer = values.length / (channels * inner);
    float[] widened = new float[outer * width * inner];
    for (int o = 0; o < outer; o++) {
      System.arraycopy(values, o * channels * inner, widened, o * width * inner, channels * inner);
    }
    return widened;
  }

  static long[] widen(long[] dims, int axis, int width) {
    long[] widened = Arrays.copyOf(dims, dims.length);
    widened[axis] = width;
    return widened;
  }
}
