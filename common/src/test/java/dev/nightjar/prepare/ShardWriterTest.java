package dev.nightjar.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Shards are written byte for byte as DL4J's own {@code DataSet.save} writes them. */
class ShardWriterTest {
  @Test
  void writesTheBytesDataSetSaveWrites() throws Exception {
    Random random = new Random(7);
    for (long[] shape : new long[][] {{100, 1, 28, 28}, {3, 3, 4, 5}, {1, 1, 2, 2}}) {
      int numClasses = shape[0] == 1 ? 2 : 10;
      int n = (int) shape[0];
      float[] features = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3])];
      for (int i = 0; i < features.length; i++) {
        features[i] = random.nextInt(256) / 255f;
      }
      float[] labels = new float[n * numClasses];
      for (int i = 0; i < n; i++) {
        labels[i * numClasses + random.nextInt(numClasses)] = 1f;
      }
      long[] labelShape = {n, numClasses};

      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      new DataSet(Nd4j.create(features, shape, 'c'), Nd4j.create(labels, labelShape, 'c'))
          .save(expected);
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      ShardWriter.writeDataSet(written, features, shape, labels, labelShape);

      assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
      DataSet loaded = new DataSet();
      loaded.load(new ByteArrayInputStream(written.toByteArray()));
      assertThat(loaded.getFeatures().shape()).isEqualTo(shape);
      assertThat(loaded.getFeatures().data().asFloat()).isEqualTo(features);
      assertThat(loaded.getLabels().data().asFloat()).isEqualTo(labels);
    }
  }
}
