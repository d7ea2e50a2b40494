package dev.nightjar.testing;

import dev.nightjar.io.IdxReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;

/** Writes real Fashion-MNIST images as class folders of JPEG or PNG files, as an image source. */
public final class ImageFolders {
  public static final List<String> CLASSES =
      List.of(
          "T-shirt",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle-boot");

  private ImageFolders() {}

  /**
   * Writes the first {@code count} training images, scaled to {@code size}×{@code size} RGB, as
   * {@code dir/<class>/<index>.<format>}; only the classes for which {@code keep} allows it.
   */
  public static int write(
      Path dir, int count, int size, String format, java.util.function.IntPredicate keep) {
    String source = FashionMnist.dir();
    Configuration conf = new Configuration();
    int written = 0;
    try (IdxReader images = IdxReader.open(source + "/train-images-idx3-ubyte.gz", conf);
        IdxReader labels = IdxReader.open(source + "/train-labels-idx1-ubyte.gz", conf)) {
      byte[] pixels = new byte[784];
      byte[] label = new byte[1];
      for (int i = 0; i < count; i++) {
        images.readRecord(pixels);
        labels.readRecord(label);
        if (!keep.test(label[0])) {
          continue;
        }
        Path classDir = Files.createDirectories(dir.resolve(CLASSES.get(label[0])));
        Files.write(
            classDir.resolve(String.format("%05d.%s", i, format)), encode(pixels, size, format));
        written++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return written;
  }

  /** A 28×28 grey image, drawn as a {@code size}×{@code size} RGB image and encoded. */
  public static byte[] encode(byte[] pixels, int size, String format) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int v = pixels[(y * 28 / size) * 28 + x * 28 / size] & 0xFF;
        image.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }
}
