package dev.nightjar.infer;

import dev.nightjar.data.PixelScaling;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streams example rows through a network in batches: it pulls one batch from the input, predicts
 * it, and hands out its rows before pulling the next, so at most one batch is in memory.
 *
 * <p>Input rows: {@code id, label, pixels}. Output rows: see {@link PredictionTable#SCHEMA}.
 */
final class BatchPredictor implements Iterator<Row> {
  private final Iterator<Row> input;
  private final MultiLayerNetwork network;
  private final int batchSize;
  private final int[] imageShape;
  private final String modelVersion;
  private final String runId;
  private final Runnable onExhausted;
  private Iterator<Row> batch = java.util.Collections.emptyIterator();
  private boolean exhausted;

  BatchPredictor(Iterator<Row> input, MultiLayerNetwork network, int batchSize, int[] imageShape,
      String modelVersion, String runId, Runnable onExhausted) {
    this.input = input;
    this.network = network;
    this.batchSize = batchSize;
    this.imageShape = imageShape.clone();
    this.modelVersion = modelVersion;
    this.runId = runId;
    this.onExhausted = onExhausted;
  }

  @Override
  public boolean hasNext() {
    if (batch.hasNext()) {
      return true;
    }
    if (!exhausted && input.hasNext()) {
      batch = predictNextBatch();
      return batch.hasNext();
    }
    if (!exhausted) {
      exhausted = true;
      onExhausted.run();
    }
    return false;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return batch.next();
  }

  private Iterator<Row> predictNextBatch() {
    List<Row> rows = new ArrayList<>(batchSize);
    while (rows.size() < batchSize && input.hasNext()) {
      rows.add(input.next());
    }
    int pixels = imageShape[0] * imageShape[1] * imageShape[2];
    float[] features = new float[rows.size() * pixels];
    for (int i = 0; i < rows.size(); i++) {
      PixelScaling.toUnitRange((byte[]) rows.get(i).get(2), features, i * pixels);
    }
    INDArray input = Nd4j.create(features, new long[] {rows.size(), imageShape[0], imageShape[1], imageShape[2]}, 'c');
    INDArray probabilities = network.output(input, false);
    INDArray predicted = probabilities.argMax(1);
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      int label = (int) predicted.getLong(i);
      out.add(RowFactory.create(row.getString(0), row.isNullAt(1) ? null : row.getInt(1), label,
          probabilities.getDouble(i, label), modelVersion, runId));
    }
    return out.iterator();
  }
}
