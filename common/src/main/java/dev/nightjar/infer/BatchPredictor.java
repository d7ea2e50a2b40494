package dev.nightjar.infer;

import dev.nightjar.data.PixelScaling;
import dev.nightjar.model.engine.InferenceEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.LongConsumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Streams example rows through an engine in batches: it pulls one batch from the input, predicts
 * it, and hands out its rows before pulling the next, so at most one batch is in memory however
 * large the partition.
 *
 * <p>Input rows: {@code id, label, pixels}. Output rows: see {@link PredictionTable#SCHEMA}.
 */
final class BatchPredictor implements Iterator<Row> {
  private final Iterator<Row> input;
  private final InferenceEngine engine;
  private final PredictionSettings settings;
  private final int pixels;
  private final LongConsumer onExhausted;
  private final long started = System.nanoTime();
  private Iterator<Row> batch = Collections.emptyIterator();
  private boolean exhausted;

  /**
   * @param onExhausted called once with the nanoseconds the partition took
   */
  BatchPredictor(
      Iterator<Row> input,
      InferenceEngine engine,
      PredictionSettings settings,
      LongConsumer onExhausted) {
    this.input = input;
    this.engine = engine;
    this.settings = settings;
    this.pixels = settings.imageShape()[0] * settings.imageShape()[1] * settings.imageShape()[2];
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
      onExhausted.accept(System.nanoTime() - started);
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
    List<Row> rows = new ArrayList<>(settings.batchSize());
    while (rows.size() < settings.batchSize() && input.hasNext()) {
      rows.add(input.next());
    }
    float[] features = new float[rows.size() * pixels];
    for (int i = 0; i < rows.size(); i++) {
      byte[] image = (byte[]) rows.get(i).get(2);
      if (image.length != pixels) {
        throw new IllegalArgumentException(
            rows.get(i).getString(0)
                + ": "
                + image.length
                + " pixels where the model reads "
                + pixels);
      }
      PixelScaling.toUnitRange(image, features, i * pixels);
    }
    float[] probabilities = engine.predict(features, rows.size());
    int classes = engine.numClasses();
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      TopK top = TopK.of(probabilities, i * classes, classes, Math.max(1, settings.topK()));
      out.add(
          RowFactory.create(
              row.getString(0),
              settings.source(),
              row.isNullAt(1) ? null : row.getInt(1),
              top.label(0),
              (double) top.probability(0),
              settings.topK() > 0 ? top.asRows() : null,
              settings.modelVersion(),
              settings.runId()));
    }
    return out.iterator();
  }
}
