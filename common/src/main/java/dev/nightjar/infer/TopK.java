package dev.nightjar.infer;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The k most probable classes of one prediction, most probable first. */
record TopK(int[] labels, float[] probabilities) {

  static TopK of(float[] probabilities, int offset, int classes, int k) {
    int n = Math.min(k, classes);
    int[] labels = new int[n];
    float[] best = new float[n];
    java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < classes; c++) {
      float p = probabilities[offset + c];
      int at = n;
      while (at > 0 && p > best[at - 1]) {
        at--;
      }
      if (at < n) {
        System.arraycopy(best, at, best, at + 1, n - at - 1);
        System.arraycopy(labels, at, labels, at + 1, n - at - 1);
        best[at] = p;
        labels[at] = c;
      }
    }
    return new TopK(labels, best);
  }

  int label(int rank) {
    return labels[rank];
  }

  float probability(int rank) {
    return probabilities[rank];
  }

  /** The ranked classes as a Spark array of {@code (label, probability)} structs. */
  scala.collection.Seq<Row> asRows() {
    List<Row> rows = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      rows.add(RowFactory.create(labels[i], (double) probabilities[i]));
    }
    return scala.collection.JavaConverters.asScalaBuffer(rows);
  }
}
