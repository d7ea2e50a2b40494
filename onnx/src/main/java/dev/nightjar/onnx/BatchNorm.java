package dev.nightjar.onnx;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

/**
 * A trained DL4J batch normalization at inference, as the per-channel affine map {@code y = x *
 * factor + shift}, and its folding into the weights before it.
 */
record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon) {

  static BatchNorm of(Layer layer) {
    BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
    float[] mean =
        Dl4jParams.floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
    float[] variance;
    if (conf.isUseLogStd()) {
      // DL4J's default since 1.0.0-beta4 stores log10 of the standard deviation, not the variance.
      float[] log10Std =
          Dl4jParams.floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
      variance = new float[log10Std.length];
      for (int c = 0; c < variance.length; c++) {
        double std = Math.pow(10, log10Std[c]);
        variance[c] = (float) (std * std);
      }
    } else {
      variance = Dl4jParams.floats(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
    }
    float[] gamma;
    float[] beta;
    if (conf.isLockGammaBeta()) {
      // DL4J applies fixed gamma and beta only when gamma != 1 and beta != 0 both hold; match what
      // it computes.
      boolean applied = conf.getGamma() != 1.0 && conf.getBeta() != 0.0;
      gamma = filled(mean.length, applied ? conf.getGamma() : 1);
      beta = filled(mean.length, applied ? conf.getBeta() : 0);
    } else {
      gamma = Dl4jParams.floats(layer.getParam(BatchNormalizationParamInitializer.GAMMA));
      beta = Dl4jParams.floats(layer.getParam(BatchNormalizationParamInitializer.BETA));
    }
    return new BatchNorm(gamma, beta, mean, variance, (float) conf.getEps());
  }

  private static float[] filled(int length, double value) {
    float[] values = new float[length];
    Arrays.fill(values, (float) value);
    return values;
  }

  int channels() {
    return mean.length;
  }

  /** gamma / sqrt(var + eps), in double so that folding adds no error of its own. */
  double factor(int channel) {
    return gamma[channel] / Math.sqrt((double) variance[channel] + epsilon);
  }

  /**
   * Scales each output channel of {@code weights} (row-major {@code dims}, channels on {@code
   * channelAxis}) in place, and returns the folded bias (b - mean) * factor + beta.
   */
  float[] foldInto(float[] weights, long[] dims, int channelAxis, float[] bias) {
    ChannelLayout layout = new ChannelLayout(dims, channelAxis);
    if (layout.channels() != channels()) {
      throw new IllegalArgumentException(
          "batch norm has " + channels() + " channels, weights " + layout.channels());
    }
    double[] factors = new double[channels()];
    float[] folded = new float[channels()];
    for (int c = 0; c < folded.length; c++) {
      factors[c] = factor(c);
      folded[c] = (float) ((bias[c] - mean[c]) * factors[c] + beta[c]);
    }
    int[] channelOf = layout.channelIndex(weights.length);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (weights[i] * factors[channelOf[i]]);
    }
    return folded;
  }
}
