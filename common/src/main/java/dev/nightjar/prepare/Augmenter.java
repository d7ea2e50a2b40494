package dev.nightjar.prepare;

import dev.nightjar.config.AugmentConfig;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Seeded augmentation of channel-major 8-bit images: a random affine transform (rotation,
 * translation, scale, like torchvision's {@code RandomAffine(5, (0.1, 0.1), (0.5, 2.0))}) and an
 * optional horizontal flip, sampled bilinearly with black outside the source. The randomness of an
 * example depends only on the seed and the example's id, so a rerun gives identical shards.
 */
public final class Augmenter implements Serializable {
  private static final long serialVersionUID = 1L;
  private final AugmentConfig config;
  private final long seed;

  public Augmenter(AugmentConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  public byte[] apply(byte[] chw, int channels, int height, int width, String exampleId) {
    SplittableRandom random =
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ exampleId.hashCode());
    double angle =
        Math.toRadians(uniform(random, -config.rotationDegrees(), config.rotationDegrees()));
    double scale = uniform(random, config.scaleMin(), config.scaleMax());
    double shiftX = uniform(random, -config.translate(), config.translate()) * width;
    double shiftY = uniform(random, -config.translate(), config.translate()) * height;
    boolean flip = config.horizontalFlip() && random.nextBoolean();

    // Inverse mapping: for each output pixel, where it comes from in the source.
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    double centreX = (width - 1) / 2.0;
    double centreY = (height - 1) / 2.0;
    byte[] out = new byte[chw.length];
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = (flip ? width - 1 - x : x) - centreX - shiftX;
        double dy = y - centreY - shiftY;
        double sourceX = cos * dx + sin * dy + centreX;
        double sourceY = -sin * dx + cos * dy + centreY;
        for (int c = 0; c < channels; c++) {
          out[c * plane + y * width + x] =
              (byte) bilinear(chw, c * plane, width, height, sourceX, sourceY);
        }
      }
    }
    return out;
  }

  private static double uniform(SplittableRandom random, double min, double max) {
    return max > min ? min + random.nextDouble() * (max - min) : min;
  }

  private static int bilinear(
      byte[] pixels, int offset, int width, int height, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double top =
        (1 - fx) * at(pixels, offset, width, height, x0, y0)
            + fx * at(pixels, offset, width, height, x0 + 1, y0);
    double bottom =
        (1 - fx) * at(pixels, offset, width, height, x0, y0 + 1)
            + fx * at(pixels, offset, width, height, x0 + 1, y0 + 1);
    return (int) Math.round((1 - fy) * top + fy * bottom);
  }

  private static int at(byte[] pixels, int offset, int width, int height, int x, int y) {
    return x < 0 || y < 0 || x >= width || y >= height ? 0 : pixels[offset + y * width + x] & 0xFF;
  }
}
