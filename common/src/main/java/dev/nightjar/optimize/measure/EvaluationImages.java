package dev.nightjar.optimize.measure;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Labelled images held in one JVM for measuring models: the test split for accuracy and speed, or a
 * sample of the training split for calibration.
 */
public record EvaluationImages(float[] images, int[] labels, int[] imageShape) {

  /**
   * Joins minibatches (features {@code N × C × H × W}, one-hot labels), up to {@code limit} images.
   */
  public static EvaluationImages of(List<DataSet> batches, int limit) {
    int[] shape =
        Arrays.stream(batches.get(0).getFeatures().shape())
            .skip(1)
            .mapToInt(Math::toIntExact)
            .toArray();
    int pixels = shape[0] * shape[1] * shape[2];
    int total = Math.min(limit, batches.stream().mapToInt(DataSet::numExamples).sum());
    float[] images = new float[total * pixels];
    int[] labels = new int[total];
    int at = 0;
    for (DataSet batch : batches) {
      int n = Math.min(batch.numExamples(), total - at);
      if (n <= 0) {
        break;
      }
      float[] features =
          batch
              .getFeatures()
              .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
              .dup('c')
              .data()
              .asFloat();
      System.arraycopy(features, 0, images, at * pixels, n * pixels);
      long[] argMax = batch.getLabels().argMax(1).toLongVector();
      for (int i = 0; i < n; i++) {
        labels[at + i] = (int) argMax[i];
      }
      at += n;
    }
    return new EvaluationImages(images, labels, shape);
  }

  public int count() {
    return labels.length;
  }

  public int pixels() {
    return imageShape[0] * imageShape[1] * imageShape[2];
  }

  /** Images {@code from} to {@code from + n}, as one contiguous batch. */
  public float[] batch(int from, int n) {
    return Arrays.copyOfRange(images, from * pixels(), (from + n) * pixels());
  }
}
