package dev.nightjar.optimize.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.data.PixelScaling;
import dev.nightjar.io.IdxReader;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.FashionCnn;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.testing.FashionMnist;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Filter pruning on a fashion-cnn briefly trained on real Fashion-MNIST: half the filters and
 * neurons go, and one short fine-tuning pass brings the accuracy back near the original's.
 */
class FilterPrunerFashionMnistTest {
  private static final int TRAIN = 8_000;
  private static final int TEST = 2_000;
  private static final int BATCH = 64;

  @Test
  void pruningHalfTheFiltersThenFineTuningRecoversTheAccuracy() throws IOException {
    DataSet train = load("train", TRAIN);
    DataSet test = load("t10k", TEST);
    long start = System.nanoTime();
    MultiLayerNetwork original =
        ModelZoo.create(FashionCnn.NAME, new ModelInput(1, 28, 28, 10), 1e-3, 42);
    fitOnePass(original, train, 1);
    double originalAccuracy = accuracy(original, test);
    long trained = System.nanoTime();

    MultiLayerNetwork pruned = FilterPruner.prune(original, 0.5);
    double prunedAccuracy = accuracy(pruned, test);
    // One pass over the same images, reshuffled, with a fresh Adam (the pruned network is 4×
    // smaller, so it is quick).
    fitOnePass(pruned, train, 2);
    double fineTunedAccuracy = accuracy(pruned, test);
    long done = System.nanoTime();

    System.out.printf(
        "fashion-cnn on %d images, 1 pass: %d params, accuracy %.4f (%.1f s); pruned 50%%: %d params,"
            + " accuracy %.4f; after a fine-tuning pass: %.4f (%.1f s)%n",
        TRAIN,
        original.numParams(),
        originalAccuracy,
        (trained - start) / 1e9,
        pruned.numParams(),
        prunedAccuracy,
        fineTunedAccuracy,
        (done - trained) / 1e9);
    assertThat(originalAccuracy).isGreaterThan(0.75);
    assertThat(pruned.numParams()).isEqualTo(369_562); // of 1,475,530
    assertThat(fineTunedAccuracy).isGreaterThan(originalAccuracy - 0.03);
  }

  private static void fitOnePass(MultiLayerNetwork network, DataSet data, long seed) {
    data.shuffle(seed);
    List<DataSet> batches = data.batchBy(BATCH);
    for (DataSet batch : batches) {
      network.fit(batch);
    }
  }

  private static double accuracy(MultiLayerNetwork network, DataSet data) {
    INDArray predicted = network.output(data.getFeatures()).argMax(1);
    INDArray actual = data.getLabels().argMax(1);
    return predicted.eq(actual).castTo(DataType.FLOAT).meanNumber().doubleValue();
  }

  /** The first {@code count} images of a split, scaled to [0, 1] as the pipeline scales them. */
  private static DataSet load(String split, int count) throws IOException {
    float[] features = new float[count * 28 * 28];
    float[] labels = new float[count * 10];
    Configuration conf = new Configuration();
    try (IdxReader images =
            IdxReader.open(FashionMnist.dir() + "/" + split + "-images-idx3-ubyte.gz", conf);
        IdxReader classes =
            IdxReader.open(FashionMnist.dir() + "/" + split + "-labels-idx1-ubyte.gz", conf)) {
      byte[] pixels = new byte[images.header().recordBytes()];
      byte[] label = new byte[1];
      for (int i = 0; i < count; i++) {
        images.readRecord(pixels);
        classes.readRecord(label);
        PixelScaling.toUnitRange(pixels, features, i * pixels.length);
        labels[i * 10 + (label[0] & 0xFF)] = 1f;
      }
    }
    return new DataSet(
        Nd4j.create(features, new long[] {count, 1, 28, 28}, 'c'),
        Nd4j.create(labels, new long[] {count, 10}, 'c'));
  }
}
