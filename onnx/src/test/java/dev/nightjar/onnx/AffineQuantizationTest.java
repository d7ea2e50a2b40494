package dev.nightjar.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AffineQuantizationTest {
  private static final ChannelLayout CONV = new ChannelLayout(new long[] {4, 3, 3, 3}, 0);

  /** Channel 0 mixed signs, 1 all positive, 2 all equal (and positive), 3 all zero. */
  private static float[] convWeights() {
    Random random = new Random(5);
    float[] values = new float[4 * 27];
    for (int i = 0; i < 27; i++) {
      values[i] = (float) random.nextGaussian() * 0.3f;
      values[27 + i] = 0.5f + random.nextFloat() * 2f;
      values[54 + i] = 0.75f;
      values[81 + i] = 0f;
    }
    values[3] = 0f; // an exact zero inside a mixed channel
    return values;
  }

  @Test
  void perChannelAsymmetricRoundTripsWithinHalfAStep() {
    float[] values = convWeights();
    AffineQuantization.Params params = AffineQuantization.perChannelInt8(values, CONV);
    assertRoundTrip(values, CONV, params);
    // Channel 0's min and max land on the ends of the int8 range.
    byte[] quantized = AffineQuantization.quantize(values, CONV, params);
    int min = 127;
    int max = -128;
    for (int i = 0; i < 27; i++) {
      min = Math.min(min, quantized[i]);
      max = Math.max(max, quantized[i]);
    }
    assertThat(min).isEqualTo(-128);
    assertThat(max).isEqualTo(127);
    // All positive: the range is widened to 0, which maps to -128.
    assertThat(params.zeroPoints()[1]).isEqualTo(-128);
  }

  @Test
  void perChannelSymmetricHasZeroPointZero() {
    float[] values = convWeights();
    AffineQuantization.Params params = AffineQuantization.perChannelSymmetricInt8(values, CONV);
    assertThat(params.zeroPoints()).containsOnly(0);
    assertRoundTrip(values, CONV, params);
  }

  @Test
  void channelAxisOfADenseWeightIsItsColumns() {
    ChannelLayout dense = new ChannelLayout(new long[] {3, 2}, 1); // [nIn, nOut]
    float[] values = {1, -100, 2, 50, -3, 100};
    AffineQuantization.Params params = AffineQuantization.perChannelSymmetricInt8(values, dense);
    assertThat(params.scales()[0]).isEqualTo(3f / 127);
    assertThat(params.scales()[1]).isEqualTo(100f / 127);
    assertRoundTrip(values, dense, params);
  }

  @Test
  void perTensorUint8ForActivations() {
    float[] values = {0f, 0.1f, 3.7f, 6f, 2.2f};
    ChannelLayout layout = ChannelLayout.perTensor(values.length);
    AffineQuantization.Params relu = AffineQuantization.perTensorUint8(0f, 6f);
    assertThat(relu.zeroPoints()[0]).isZero();
    assertThat(relu.scales()[0]).isEqualTo(6f / 255);
    assertRoundTrip(values, layout, relu);

    float[] signed = {-1f, 0f, 0.5f, 3f};
    AffineQuantization.Params shifted = AffineQuantization.perTensorUint8(-1f, 3f);
    assertThat(shifted.zeroPoints()[0]).isEqualTo(64); // 1 / (4 / 255) = 63.75
    assertRoundTrip(signed, ChannelLayout.perTensor(signed.length), shifted);
    // Values outside the calibrated range saturate.
    assertThat(shifted.quantize(10f, 0)).isEqualTo(255);
    assertThat(shifted.quantize(-10f, 0)).isEqualTo(0);
  }

  private static void assertRoundTrip(
      float[] values, ChannelLayout layout, AffineQuantization.Params params) {
    byte[] quantized = AffineQuantization.quantize(values, layout, params);
    float[] restored = AffineQuantization.dequantize(quantized, layout, params);
    int[] channelOf = layout.channelIndex(values.length);
    for (int i = 0; i < values.length; i++) {
      int c = channelOf[i];
      float scale = params.scales()[c];
      int q = params.signed() ? quantized[i] : quantized[i] & 0xff;
      assertThat(q).isBetween(params.qmin(), params.qmax());
      assertThat((double) Math.abs(restored[i] - values[i]))
          .as("element %d of channel %d", i, c)
          .isLessThanOrEqualTo(scale / 2 * (1 + 1e-5));
      if (values[i] == 0f) {
        assertThat(restored[i]).as("zero stays exact").isZero();
      }
    }
    for (int c = 0; c < params.channels(); c++) {
      assertThat(params.scales()[c]).isPositive();
    }
  }
}
