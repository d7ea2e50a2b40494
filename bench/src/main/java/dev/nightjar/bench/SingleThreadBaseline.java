package dev.nightjar.bench;

import dev.nightjar.data.PixelScaling;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * What a user of DataVec's ImageRecordReader gets, in a plain Java loop on one thread: read each
 * file, decode it whole, resize it to 28×28 grey, and scale it into a minibatch array.
 */
final class SingleThreadBaseline {
  private SingleThreadBaseline() {}

  static long run(List<Path> files) throws IOException {
    float[] batch = new float[100 * 784];
    long loaded = 0;
    for (Path file : files) {
      BufferedImage image =
          ImageIO.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file)));
      BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = grey.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, 28, 28, null);
      g.dispose();
      PixelScaling.toUnitRange(
          ((DataBufferByte) grey.getRaster().getDataBuffer()).getData(),
          batch,
          (int) (loaded % 100) * 784);
      loaded++;
    }
    return loaded;
  }
}
