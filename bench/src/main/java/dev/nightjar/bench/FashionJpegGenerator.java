package dev.nightjar.bench;

import dev.nightjar.io.IdxReader;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Fashion-MNIST out as RGB JPEGs of 250×250 (the size of LFW's faces) in one folder per
 * class: an image-folder data set of realistic decode cost, made from data this machine has.
 */
final class FashionJpegGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(FashionJpegGenerator.class);
  static final List<String> CLASSES =
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
  private static final int SIZE = 250;

  private FashionJpegGenerator() {}

  /** Makes sure {@code dir} holds at least {@code count} images; writes the missing ones. */
  static void ensure(Path dir, String fashionMnistDir, int count) throws IOException {
    int existing = countImages(dir);
    if (existing >= count) {
      LOG.info("{} already holds {} images", dir, existing);
      return;
    }
    LOG.info("Writing {} JPEGs of {}x{} to {}", count, SIZE, SIZE, dir);
    Configuration conf = new Configuration();
    int written = 0;
    long start = System.nanoTime();
    for (String prefix : List.of("train", "t10k")) {
      try (IdxReader images =
              IdxReader.open(fashionMnistDir + "/" + prefix + "-images-idx3-ubyte.gz", conf);
          IdxReader labels =
              IdxReader.open(fashionMnistDir + "/" + prefix + "-labels-idx1-ubyte.gz", conf)) {
        byte[] pixels = new byte[images.header().recordBytes()];
        byte[] label = new byte[1];
        for (int i = 0; i < images.header().recordCount() && written < count; i++, written++) {
          images.readRecord(pixels);
          labels.readRecord(label);
          Path classDir = Files.createDirectories(dir.resolve(CLASSES.get(label[0])));
          try (OutputStream out =
              Files.newOutputStream(classDir.resolve(String.format("%s-%05d.jpg", prefix, i)))) {
            ImageIO.write(rgb(pixels), "jpg", out);
          }
          if (written > 0 && written % 5000 == 0) {
            LOG.info(
                String.format(
                    "%d of %d written (%.0f images/s)",
                    written, count, written / ((System.nanoTime() - start) / 1e9)));
          }
        }
      }
    }
  }

  static int countImages(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return (int) files.filter(f -> f.toString().endsWith(".jpg")).count();
    }
  }

  private static BufferedImage rgb(byte[] grey) {
    BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    small.getRaster().setDataElements(0, 0, 28, 28, grey);
    BufferedImage large = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = large.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, SIZE, SIZE, null);
    g.dispose();
    return large;
  }
}
