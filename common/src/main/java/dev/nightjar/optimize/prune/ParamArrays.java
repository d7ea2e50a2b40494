package dev.nightjar.optimize.prune;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves parameters between ND4J and plain Java arrays. The pruners work on copies in c order so
 * that their indexing is explicit and their results exact (float → double → float is lossless).
 */
final class ParamArrays {
  private ParamArrays() {}

  /** The values of {@code array} in c order, as a fresh array. */
  static double[] values(INDArray array) {
    return Nd4j.toFlattened('c', array).toDoubleVector();
  }

  /** An array of {@code shape} in c order, of {@code like}'s data type. */
  static INDArray create(double[] values, long[] shape, INDArray like) {
    return Nd4j.create(values, shape, 'c').castTo(like.dataType());
  }

  /**
   * Keeps only the given indices along one dimension: {@code select(W, 1, kept)} drops a
   * convolution's pruned input channels, {@code select(W, 0, rows)} a dense layer's pruned rows.
   */
  static INDArray select(INDArray array, int dimension, int[] kept) {
    long[] shape = array.shape();
    long outer = 1;
    for (int d = 0; d < dimension; d++) {
      outer *= shape[d];
    }
    long inner = 1;
    for (int d = dimension + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    double[] source = values(array);
    double[] target = new double[Math.toIntExact(outer * kept.length * inner)];
    for (long o = 0; o < outer; o++) {
      for (int j = 0; j < kept.length; j++) {
        System.arraycopy(
            source,
            (int) ((o * shape[dimension] + kept[j]) * inner),
            target,
            (int) ((o * kept.length + j) * inner),
            (int) inner);
      }
    }
    long[] newShape = shape.clone();
    newShape[dimension] = kept.length;
    return create(target, newShape, array);
  }
}
