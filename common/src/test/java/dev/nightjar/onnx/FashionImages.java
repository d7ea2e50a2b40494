package dev.nightjar.onnx;

import dev.nightjar.data.PixelScaling;
import dev.nightjar.io.IdxReader;
import dev.nightjar.testing.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The first images of a real Fashion-MNIST split, NCHW floats in [0, 1], and one-hot labels. */
record FashionImages(float[] pixels, int[] labels) {
  static final int SIZE = 28 * 28;

  static FashionImages read(String split, int count) {
    Path dir = Path.of(FashionMnist.dir());
    try (InputStream images = Files.newInputStream(dir.resolve(split + "-images-idx3-ubyte.gz"));
        InputStream labelStream =
            Files.newInputStream(dir.resolve(split + "-labels-idx1-ubyte.gz"));
        IdxReader imageReader = IdxReader.open(images, split + " images");
        IdxReader labelReader = IdxReader.open(labelStream, split + " labels")) {
      float[] pixels = new float[count * SIZE];
      int[] labels = new int[count];
      byte[] image = new byte[SIZE];
      byte[] label = new byte[1];
      for (int i = 0; i < count; i++) {
        imageReader.readRecord(image);
        PixelScaling.toUnitRange(image, pixels, i * SIZE);
        labelReader.readRecord(label);
        labels[i] = label[0];
      }
      return new FashionImages(pixels, labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int count() {
    return labels.length;
  }

  float[] images(int from, int count) {
    return Arrays.copyOfRange(pixels, from * SIZE, (from + count) * SIZE);
  }

  INDArray features(int from, int count) {
    return Nd4j.create(images(from, count), new long[] {count, 1, 28, 28}, 'c');
  }

  DataSet batch(int from, int count) {
    INDArray oneHot = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, count, 10);
    for (int i = 0; i < count; i++) {
      oneHot.putScalar(i, labels[from + i], 1f);
    }
    return new DataSet(features(from, count), oneHot);
  }
}
