package dev.nightjar.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the real Fashion-MNIST IDX files that tests train on (Debian package
 * dataset-fashion-mnist).
 */
public final class FashionMnist {
  private FashionMnist() {}

  public static String dir() {
    String configured = System.getenv("NIGHTJAR_FASHION_MNIST");
    Path dir = Paths.get(configured != null ? configured : "/usr/share/datasets/fashion-mnist");
    if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
      throw new IllegalStateException(
          "Fashion-MNIST not found in "
              + dir
              + ": install it with 'apt-get install dataset-fashion-mnist' or set NIGHTJAR_FASHION_MNIST");
    }
    return dir.toString();
  }
}
