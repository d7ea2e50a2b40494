package dev.nightjar.onnx;

/** How close two sets of class probabilities are. */
final class Agreement {
  private Agreement() {}

  static int argmax(float[] probabilities, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (probabilities[row * classes + c] > probabilities[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }

  /** Fraction of rows whose most probable class is the same. */
  static double argmax(float[] a, float[] b, int classes) {
    int rows = a.length / classes;
    int same = 0;
    for (int row = 0; row < rows; row++) {
      if (argmax(a, row, classes) == argmax(b, row, classes)) {
        same++;
      }
    }
    return (double) same / rows;
  }

  static double maxAbsDifference(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
