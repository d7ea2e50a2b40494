package dev.nightjar.ml;

import dev.nightjar.source.image.ImageRejected;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What each task of {@link NightjarModel#transform} runs: turns each row's input into pixels,
 * streams them through the infer stage's partition function (this JVM's engine from the executor
 * model cache, one batch at a time) and appends the prediction to the row it came from.
 *
 * <p>Each input row gives the predictor exactly one row, so predictions come back in input order
 * and at most one batch of input rows waits for them. A row whose input cannot be used gives a
 * blank image, whose prediction is dropped for the reason: scoring a blank costs less than holding
 * back rows.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final int inputIndex;
  private final PixelSource source;
  private final FlatMapFunction<Iterator<Row>, Row> predict;
  private final int pixels;
  private final int topK;

  /**
   * @param predict the infer stage's partition function, asked for every class's probability
   * @param topK how many ranked classes to append; 0 appends no column
   */
  ScorePartition(
      int inputIndex,
      PixelSource source,
      FlatMapFunction<Iterator<Row>, Row> predict,
      int pixels,
      int topK) {
    this.inputIndex = inputIndex;
    this.source = source;
    this.predict = predict;
    this.pixels = pixels;
    this.topK = topK;
  }

  /** A row waiting for its prediction, with the reason its input could not be used, if so. */
  private record Pending(long index, Row row, String reason) {}

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws Exception {
    Deque<Pending> pending = new ArrayDeque<>();
    byte[] blank = new byte[pixels];
    Iterator<Row> examples =
        new Iterator<>() {
          private long index;

          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Row next() {
            Row row = rows.next();
            long at = index++;
            Object value = row.get(inputIndex);
            byte[] image = blank;
            String reason = null;
            if (value == null) {
              reason = "the input is null";
            } else {
              try {
                image = source.pixels(value);
              } catch (ImageRejected e) {
                reason = e.getMessage();
              }
            }
            pending.add(new Pending(at, row, reason));
            return RowFactory.create(Long.toString(at), null, image);
          }
        };
    Iterator<Row> predictions = predict.call(examples);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return predictions.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row prediction = predictions.next();
        Pending row = pending.poll();
        if (row == null || !Long.toString(row.index()).equals(prediction.getString(0))) {
          throw new IllegalStateException(
              "a prediction came back out of order: " + prediction.getString(0));
        }
        return withPrediction(row, prediction);
      }
    };
  }

  /** The input row with {@code prediction, probability, [top_k,] error} appended. */
  private Row withPrediction(Pending pending, Row prediction) {
    Row row = pending.row();
    int n = row.length();
    Object[] values = new Object[n + (topK > 0 ? 4 : 3)];
    for (int i = 0; i < n; i++) {
      values[i] = row.get(i);
    }
    if (pending.reason() != null) {
      values[values.length - 1] = pending.reason();
      return RowFactory.create(values);
    }
    // The predictor ranks every class: its ranking gives the probability of each.
    scala.collection.Seq<Row> ranked = prediction.getSeq(5);
    double[] probabilities = new double[ranked.length()];
    scala.collection.Iterator<Row> each = ranked.iterator();
    while (each.hasNext()) {
      Row ranks = each.next();
      probabilities[ranks.getInt(0)] = ranks.getDouble(1);
    }
    values[n] = (double) prediction.getInt(3);
    values[n + 1] = Vectors.dense(probabilities);
    if (topK > 0) {
      values[n + 2] = ranked.take(topK);
    }
    return RowFactory.create(values);
  }
}
