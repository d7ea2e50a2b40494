package dev.nightjar.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.engine.Dl4jEngine;
import dev.nightjar.model.zoo.ModelZoo;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded however large a partition is: the predictor never holds more than one batch
 * of input rows, on a partition ten times larger too.
 */
class BatchPredictorTest {
  private static final int BATCH = 64;

  /** Generates rows on demand and counts how many the consumer pulled ahead of what it emitted. */
  private static final class CountingRows implements Iterator<Row> {
    private final int total;
    final AtomicLong pulled = new AtomicLong();

    CountingRows(int total) {
      this.total = total;
    }

    @Override
    public boolean hasNext() {
      return pulled.get() < total;
    }

    @Override
    public Row next() {
      long i = pulled.incrementAndGet();
      byte[] pixels = new byte[28 * 28];
      pixels[(int) (i % pixels.length)] = (byte) 200;
      return RowFactory.create("row-" + i, i % 3 == 0 ? null : (int) (i % 10), pixels);
    }
  }

  private static long maxRowsAhead(int partitionSize, int topK) {
    Dl4jEngine engine =
        new Dl4jEngine(
            ModelZoo.create("lenet", new ModelInput(1, 28, 28, 10), 1e-3, 7),
            new int[] {1, 28, 28});
    CountingRows input = new CountingRows(partitionSize);
    AtomicLong partitionNanos = new AtomicLong(-1);
    BatchPredictor predictor =
        new BatchPredictor(
            input,
            engine,
            new PredictionSettings(BATCH, new int[] {1, 28, 28}, topK, "test-source", "v1", "run"),
            partitionNanos::set);
    long emitted = 0;
    long maxAhead = 0;
    while (predictor.hasNext()) {
      Row row = predictor.next();
      emitted++;
      maxAhead = Math.max(maxAhead, input.pulled.get() - emitted);
      assertThat(row.getString(0)).isEqualTo("row-" + emitted);
      assertThat(row.getString(1)).isEqualTo("test-source");
      if (topK > 0) {
        List<Row> ranked = row.getList(5);
        assertThat(ranked).hasSize(topK);
        assertThat(ranked.get(0).getInt(0)).isEqualTo(row.getInt(3));
        for (int i = 1; i < ranked.size(); i++) {
          assertThat(ranked.get(i).getDouble(1))
              .isLessThanOrEqualTo(ranked.get(i - 1).getDouble(1));
        }
      } else {
        assertThat(row.isNullAt(5)).isTrue();
      }
    }
    assertThat(emitted).isEqualTo(partitionSize);
    assertThat(partitionNanos.get()).isPositive();
    return maxAhead;
  }

  @Test
  void holdsAtMostOneBatchWhateverThePartitionSize() {
    long small = maxRowsAhead(1_000, 0);
    long large = maxRowsAhead(10_000, 0);
    assertThat(small).isLessThan(BATCH);
    assertThat(large).isLessThan(BATCH);
  }

  @Test
  void listsTheTopClassesWhenAsked() {
    maxRowsAhead(150, 3);
  }
}
