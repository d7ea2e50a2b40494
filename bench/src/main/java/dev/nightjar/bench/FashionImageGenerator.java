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
 * Writes Fashion-MNIST out as an image folder, one sub-folder per class, in one of two kinds: RGB
 * JPEGs of 250×250 (the size of LFW's faces), a data set of realistic decode cost; or the 28×28
 * grey pictures as they are, as PNGs, a data set of many small files whose cost is per file.
 */
final class FashionImageGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(FashionImageGenerator.class);
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

  /** What the images are written as. */
  enum Kind {
    /** RGB JPEGs of 250×250, scaled up bilinearly. */
    JPEG_250("jpg", 250, BufferedImage.TYPE_3BYTE_BGR),
    /** The grey 28×28 pictures unchanged, as PNGs. */
    PNG_28("png", 28, BufferedImage.TYPE_BYTE_GRAY);

    final String extension;
    final int size;
    final int type;

    Kind(String extension, int size, int type) {
      this.extension = extension;
      this.size = size;
      this.type = type;
    }

    BufferedImage picture(byte[] grey) {
      BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      small.getRaster().setDataElements(0, 0, 28, 28, grey);
      if (size == 28 && type == BufferedImage.TYPE_BYTE_GRAY) {
        return small;
      }
      BufferedImage large = new BufferedImage(size, size, type);
      Graphics2D g = large.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(small, 0, 0, size, size, null);
      g.dispose();
      return large;
    }
  }

  private FashionImageGenerator() {}

  /**
   * Makes sure {@code dir} holds at least {@code count} images of {@code kind}, training images
   * first; writes them all when it holds fewer.
   */
  static void ensure(Path dir, String fashionMnistDir, int count, Kind kind) throws IOException {
    int existing = countImages(dir, kind);
    if (existing >= count) {
      LOG.info("{} already holds {} images", dir, existing);
      return;
    }
    LOG.info(
        "Writing {} {} images of {}x{} to {}", count, kind.extension, kind.size, kind.size, dir);
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
              Files.newOutputStream(
                  classDir.resolve(String.format("%s-%05d.%s", prefix, i, kind.extension)))) {
            ImageIO.write(kind.picture(pixels), kind.extension, out);
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

  static int countImages(Path dir, Kind kind) throws IOException {
    return files(dir, kind).size();
  }

  /** The image files of {@code kind} under {@code dir}, in name order. */
  static List<Path> files(Path dir, Kind kind) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith("." + kind.extension)).sorted().toList();
    }
  }
}
