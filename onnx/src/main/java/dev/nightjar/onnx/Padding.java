package dev.nightjar.onnx;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * Explicit ONNX pads [top, left, bottom, right] for a DL4J convolution or pooling window. Same mode
 * is computed from the input size rather than written as auto_pad, so the file states exactly what
 * DL4J does: ConvolutionUtils.getSameModeTopLeftPadding puts the smaller half of an odd total
 * before and the larger after, which is ONNX's SAME_UPPER.
 */
final class Padding {
  private Padding() {}

  static long[] of(
      ConvolutionMode mode,
      int[] kernel,
      int[] stride,
      int[] dilation,
      int[] padding,
      long height,
      long width) {
    switch (mode) {
      case Same:
        {
          long[] inSize = {height, width};
          long[] before = new long[2];
          long[] after = new long[2];
          for (int d = 0; d < 2; d++) {
            long out = (inSize[d] + stride[d] - 1) / stride[d];
            long effectiveKernel = kernel[d] + (long) (kernel[d] - 1) * (dilation[d] - 1);
            long total = Math.max(0, (out - 1) * stride[d] + effectiveKernel - inSize[d]);
            before[d] = total / 2;
            after[d] = total - before[d];
          }
          return new long[] {before[0], before[1], after[0], after[1]};
        }
      case Truncate:
      case Strict:
        return new long[] {padding[0], padding[1], padding[0], padding[1]};
      default:
        throw new IllegalArgumentException("convolution mode " + mode + " is not supported");
    }
  }
}
